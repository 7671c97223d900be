package dev.syncline.stack;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One stack (one partition per topic) shared by every test class of this JVM that leaves it as it found it: it stops
 * nothing for good (a class that kills a service starts it again and waits until it is ready, as
 * SyncEngineStackTest does, and stops every extra instance it started): {@code @ExtendWith(SharedStack.class)}, then
 * {@link #stack()}. Started by the first such class, stopped
 * once after the last test of the run (JUnit's root store closes it), so each class does not pay a stack's start.
 * Classes on it create their own sources, connections and keys, and never assume they are alone.
 */
final class SharedStack implements BeforeAllCallback {
    private static volatile Stack stack;

    static Stack stack() {
        if (stack == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedStack.class)");
        }
        return stack;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Running running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedStack.class, k -> Running.start(), Running.class);
        stack = running.stack();
        // another class may have pointed the REST helpers at a stack of its own since
        EndToEndTest.use(stack);
    }

    /** The shared stack as a resource of JUnit's root store: closed when the whole run ends. */
    record Running(Stack stack) implements ExtensionContext.Store.CloseableResource {
        static Running start() {
            try {
                return new Running(StackUnderTest.start("shared", 1));
            } catch (Exception e) {
                throw new IllegalStateException("the shared stack did not start: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            StackUnderTest.stop(stack);
        }
    }
}
