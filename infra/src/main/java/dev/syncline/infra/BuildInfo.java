package dev.syncline.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;

/** Where the build put the packages the infrastructure runs (written by resource filtering). */
final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() { }

    static Path registryHome() {
        String override = System.getenv("SYNCLINE_REGISTRY_HOME");
        return Path.of(override != null && !override.isBlank() ? override : PROPS.getProperty("registry.home"));
    }

    static String kafkaBrokerClasspath() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("kafka-broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker.classpath missing: build the infra module with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("build.properties missing: build the infra module with Maven", e);
        }
        return p;
    }
}
