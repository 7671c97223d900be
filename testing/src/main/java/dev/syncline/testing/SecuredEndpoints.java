package dev.syncline.testing;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every REST resource method of a module names its authorisation on itself: a security annotation on the method, not
 * inherited from its class (where a new method would quietly get what the others have). A module's unit test lists
 * the methods that do not ({@link #unsecured}) and expects none; the services also refuse such a method to everyone at
 * run time ({@code quarkus.security.jaxrs.deny-unannotated-endpoints}). Annotations are matched by name, so this
 * module needs neither JAX-RS nor Quarkus Security.
 */
public final class SecuredEndpoints {
    private static final Set<String> HTTP_METHODS = Set.of("jakarta.ws.rs.GET", "jakarta.ws.rs.POST", "jakarta.ws.rs.PUT",
            "jakarta.ws.rs.PATCH", "jakarta.ws.rs.DELETE", "jakarta.ws.rs.HEAD", "jakarta.ws.rs.OPTIONS");
    private static final Set<String> SECURITY = Set.of("jakarta.annotation.security.RolesAllowed",
            "jakarta.annotation.security.PermitAll", "jakarta.annotation.security.DenyAll", "io.quarkus.security.Authenticated",
            "io.quarkus.security.PermissionsAllowed");

    private SecuredEndpoints() { }

    /**
     * The resource methods (as {@code Class#method}) among the classes compiled beside {@code anyClassOfTheModule} that
     * carry no security annotation of their own; also the number of resource methods seen, so a test can tell that it
     * looked at all.
     */
    public static Result unsecured(Class<?> anyClassOfTheModule) {
        Path root;
        try {
            root = Path.of(anyClassOfTheModule.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> unsecured = new ArrayList<>();
        int seen = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".");
                name = name.substring(0, name.length() - ".class".length());
                Class<?> type;
                try {
                    type = Class.forName(name, false, anyClassOfTheModule.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue; // not loadable here (an optional dependency it needs is absent): not a resource of ours
                }
                Method[] methods;
                try {
                    methods = type.getDeclaredMethods();
                } catch (LinkageError e) {
                    continue;
                }
                for (Method m : methods) {
                    if (type.isInterface() || !has(m.getAnnotations(), HTTP_METHODS)) {
                        continue; // REST client interfaces call other services: they serve nothing
                    }
                    seen++;
                    if (!has(m.getAnnotations(), SECURITY)) {
                        unsecured.add(type.getName() + "#" + m.getName());
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not list the classes under " + root, e);
        }
        return new Result(seen, unsecured);
    }

    private static boolean has(Annotation[] annotations, Set<String> names) {
        for (Annotation a : annotations) {
            if (names.contains(a.annotationType().getName())) {
                return true;
            }
        }
        return false;
    }

    /** How many resource methods were looked at, and which of them carry no security annotation. */
    public record Result(int resourceMethods, List<String> unsecured) { }
}
