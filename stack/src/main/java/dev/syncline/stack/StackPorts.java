package dev.syncline.stack;

import dev.syncline.infra.FreePorts;
import dev.syncline.infra.Infrastructure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * The ports of one stack. A restart takes the ports of the last run when they are still free (so URLs stay the
 * same) and free ones otherwise: nothing assumes 8080, 9092 or 5432 is free.
 */
record StackPorts(Infrastructure.Ports infrastructure, Map<Service, Integer> services) {

    static StackPorts choose(Path file) {
        Properties last = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                last.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Infrastructure.Ports infra = new Infrastructure.Ports(port(last, "postgres"), port(last, "kafka"),
                port(last, "kafka.controller"), port(last, "registry"), port(last, "registry.management"));
        Map<Service, Integer> services = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            services.put(s, port(last, s.module));
        }
        StackPorts ports = new StackPorts(infra, services);
        ports.save(file);
        return ports;
    }

    private static int port(Properties last, String name) {
        return FreePorts.preferOrPick(Integer.parseInt(last.getProperty(name, "0")));
    }

    void save(Path file) {
        Properties p = new Properties();
        p.setProperty("postgres", String.valueOf(infrastructure.postgres()));
        p.setProperty("kafka", String.valueOf(infrastructure.kafka()));
        p.setProperty("kafka.controller", String.valueOf(infrastructure.kafkaController()));
        p.setProperty("registry", String.valueOf(infrastructure.registry()));
        p.setProperty("registry.management", String.valueOf(infrastructure.registryManagement()));
        services.forEach((s, port) -> p.setProperty(s.module, String.valueOf(port)));
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "ports of the last run; reused when free");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
