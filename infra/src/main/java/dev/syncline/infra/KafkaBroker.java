package dev.syncline.infra;

import dev.syncline.events.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One Kafka node in KRaft mode (broker and controller), in its own JVM from the Apache Kafka jars. Its storage
 * is formatted once and reused, so a restart keeps every topic.
 */
public final class KafkaBroker implements AutoCloseable {
    private final ChildProcess process;
    private final String host;
    private final int port;
    private final AutoCloseable stop;

    private KafkaBroker(ChildProcess process, String host, int port, AutoCloseable stop) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.stop = stop;
    }

    /** A broker started elsewhere (a container): {@code stop} stops it. */
    public static KafkaBroker external(String host, int port, AutoCloseable stop) {
        return new KafkaBroker(null, host, port, stop);
    }

    public static KafkaBroker start(Path dir, int port, int controllerPort) {
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            Path log4j = dir.resolve("log4j2.properties");
            Path dataDir = dir.resolve("data");
            writeProperties(config, serverProperties(dataDir, port, controllerPort));
            Files.writeString(log4j, """
                    rootLogger.level=WARN
                    rootLogger.appenderRef.out.ref=OUT
                    logger.server.name=kafka.server.KafkaRaftServer
                    logger.server.level=INFO
                    appender.out.type=Console
                    appender.out.name=OUT
                    appender.out.layout.type=PatternLayout
                    appender.out.layout.pattern=%d{HH:mm:ss.SSS} %-5p [%c{1}] %m%n
                    """);
            String cp = BuildInfo.kafkaBrokerClasspath();
            Path logFile = dir.resolve("kafka.log");
            if (!Files.exists(dataDir.resolve("meta.properties"))) {
                format(cp, config, dir, logFile);
            }
            List<String> cmd = new ArrayList<>(List.of(Java.binary(), "-Xms128m", "-Xmx512m",
                    "-Dlog4j2.configurationFile=" + log4j, "-cp", cp, "kafka.Kafka", config.toString()));
            ChildProcess p = ChildProcess.start("kafka", cmd, dir, logFile, Map.of());
            KafkaBroker broker = new KafkaBroker(p, "127.0.0.1", port, null);
            Waiting.until(p, "serving on 127.0.0.1:" + port, Duration.ofSeconds(120), broker::answers);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void format(String cp, Path config, Path dir, Path logFile) {
        ChildProcess f = ChildProcess.start("kafka-storage-format", List.of(Java.binary(), "-Xmx256m", "-cp", cp,
                "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
                dir, logFile, Map.of());
        Waiting.until(null, "kafka storage formatted", Duration.ofSeconds(120), () -> !f.isAlive());
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            throw f.failure("did not format the storage");
        }
    }

    static Properties serverProperties(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        // a single node: without these, internal topics want 3 replicas and consumers hang silently
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        return p;
    }

    private static void writeProperties(Path file, Properties p) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "written by Syncline at each start");
        }
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The broker's process id, or -1 when it runs elsewhere. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    private boolean answers() {
        if (!FreePorts.isFree(port)) {
            try (Admin admin = admin()) {
                return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
            } catch (Exception e) {
                return false;
            }
        }
        return false;
    }

    /** Creates every topic of DESIGN §3 and its dead-letter topic, when missing. */
    public void createTopics(int partitions) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topics.TopicSpec t : Topics.ALL) {
                if (!existing.contains(t.name())) {
                    NewTopic nt = new NewTopic(t.name(), partitions, (short) 1);
                    Map<String, String> configs = new java.util.HashMap<>();
                    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(t.maxMessageBytes()));
                    if (t.compacted()) {
                        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                    }
                    nt.configs(configs);
                    missing.add(nt);
                }
                String dlq = Topics.dlq(t.name());
                if (!existing.contains(dlq)) {
                    missing.add(new NewTopic(dlq, 1, (short) 1));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics: " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(30));
        } else {
            closeQuietly(stop);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop: " + e.getMessage(), e);
        }
    }
}
