package dev.syncline.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncline.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class InfrastructureTest {

    @Test
    void startsRealServersOnFreePortsAndKeepsDataAcrossRestart() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "infra-test-");
        Infrastructure.Ports ports = Infrastructure.Ports.free();
        Infrastructure.Options persistent = new Infrastructure.Options(true, 2);
        try (Infrastructure infra = Infrastructure.start(dir, ports, persistent)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    infra.kafka().bootstrapServers()))) {
                Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                for (Topics.TopicSpec t : Topics.ALL) {
                    assertTrue(names.contains(t.name()), t.name());
                    assertTrue(names.contains(t.name() + ".dlq"), t.name() + ".dlq");
                }
                var res = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONNECTIONS);
                var cfg = admin.describeConfigs(Set.of(res)).all().get(10, TimeUnit.SECONDS).get(res);
                assertEquals("compact", cfg.get("cleanup.policy").value());
                assertEquals(2, admin.describeTopics(Set.of(Topics.SYNC_EVENTS)).allTopicNames().get()
                        .get(Topics.SYNC_EVENTS).partitions().size());
            }
            assertTrue(infra.registry().compatibilityRule().contains("BACKWARD"), infra.registry().compatibilityRule());
            infra.postgres().createDatabase("kept");
            try (Connection c = infra.postgres().connect("kept")) {
                c.createStatement().execute("create table t (x int); insert into t values (7)");
            }
        }
        // a second start on the same folder keeps the database and the topics
        try (Infrastructure infra = Infrastructure.start(dir, Infrastructure.Ports.free(), persistent);
             Connection c = infra.postgres().connect("kept");
             ResultSet rs = c.createStatement().executeQuery("select x from t")) {
            assertTrue(rs.next());
            assertEquals(7, rs.getInt(1));
        } finally {
            Directories.delete(dir);
        }
    }
}
