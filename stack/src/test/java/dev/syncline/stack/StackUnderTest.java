package dev.syncline.stack;

import dev.syncline.infra.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The stack a test class runs on: started in a folder of its own under stack/target, stopped and cleaned after. */
final class StackUnderTest {
    private StackUnderTest() { }

    /** Starts a stack in {@code stack/target/<name>-…}; REST calls and console pages carry its admin key from now on. */
    static Stack start(String name, int partitions) throws Exception {
        Path home = Path.of(System.getProperty("syncline.home", "..")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory(home.resolve("stack").resolve("target"), name + "-");
        Stack stack = Stack.start(home, dir, partitions);
        EndToEndTest.use(stack);
        return stack;
    }

    /** Stops it: the logs stay for a failed run; the servers' data (up to a gigabyte) goes. */
    static void stop(Stack stack) {
        if (stack != null) {
            stack.close();
            Directories.deleteExcept(stack.dir(), Set.of("logs"));
        }
    }
}
