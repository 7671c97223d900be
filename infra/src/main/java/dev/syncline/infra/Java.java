package dev.syncline.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/** The java binary of this JVM: servers run on the same JDK (>= 21) as the launcher or the tests. */
public final class Java {
    private Java() { }

    public static String binary() {
        Path bin = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(bin) ? bin.toString() : "java";
    }
}
