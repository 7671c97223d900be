package dev.syncline.stack;

import static dev.syncline.stack.EndToEndTest.call;
import static dev.syncline.stack.EndToEndTest.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.events.Topics;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.PoisonMessages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hardening on the real stack: bad input to every REST endpoint of every service (4xx problem+json, never a 5xx,
 * never echoed unescaped into a console page), poison messages on every consumed topic (each in its dead-letter topic
 * with the reason, and consuming goes on), and API keys issued or revoked in connection-service holding everywhere.
 */
@ExtendWith(SharedStack.class)
class HardeningStackTest {
    static Stack stack;
    static String cs;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        stack = SharedStack.stack();
        cs = stack.url(Service.CONNECTION);
    }

    static int get(String url, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void everyRestEndpointOfEveryServiceAnswersBadInputWith4xxProblemJson() throws Exception {
        List<BadInputCorpus.Answer> answers = new ArrayList<>();
        int operations = 0;
        Map<String, Integer> perService = new LinkedHashMap<>();
        for (Service s : List.of(Service.CONNECTION, Service.SCHEMA, Service.SYNC, Service.REJECTS)) {
            BadInputCorpus corpus = new BadInputCorpus(s.module(), stack.url(s), stack.adminKey()).run();
            answers.addAll(corpus.answers);
            operations += corpus.operations;
            perService.put(s.module(), corpus.operations);
        }
        List<String> failures = answers.stream().filter(a -> a.failure() != null).map(a -> a + " " + a.failure()).toList();
        System.out.printf("[corpus] %d endpoints (%s) x bad inputs = %d requests; %d not 4xx problem+json%n",
                operations, perService, answers.size(), failures.size());
        assertThat(failures).as("answers that are not a 4xx problem+json naming the problem").isEmpty();
        assertThat(operations).isGreaterThan(40);
        // every service is still answering, none left in a bad state
        for (Service s : List.of(Service.CONNECTION, Service.SCHEMA, Service.SYNC, Service.REJECTS)) {
            assertThat(Stack.health(stack.url(s))).isEqualTo("UP");
        }
    }

    @Test
    void namesWithInjectionAttemptsAreStoredAsTextAndNeverRenderedAsHtml() throws Exception {
        String script = "<script>alert('pwned')</script><img src=x onerror=alert(1)>";
        String sql = "Robert'); DROP TABLE actor;--";
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":" + json(script)
                + ",\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":1,\"rows\":5}}"), "sourceId");
        String destination = SyncEngineStackTest.created(call("POST", cs + "/destinations", "{\"name\":" + json(sql)
                + ",\"destinationType\":\"duckdb\",\"configuration\":{\"path\":\"" + stack.dir().resolve("files/x.duckdb").toAbsolutePath()
                + "\"}}"),
                "destinationId");
        call("POST", cs + "/tags", "{\"name\":" + json("<b>bold</b>\"'&") + ",\"color\":\"#1E88E5\"}");
        String connection = SyncEngineStackTest.created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source
                + "\",\"destinationId\":\"" + destination + "\"}"), "connectionId");
        // stored as typed, and the tables are still there
        assertThat(call("GET", cs + "/sources/" + source, null).body().path("name").asText()).isEqualTo(script);
        assertThat(call("GET", cs + "/destinations", null).status()).isEqualTo(200);
        String console = stack.url(Service.CONSOLE);
        for (String page : List.of("/sources", "/destinations", "/connections", "/connections?q=" + java.net.URLEncoder.encode(script,
                java.nio.charset.StandardCharsets.UTF_8), "/connections/" + connection, "/connections/" + connection + "/settings",
                "/connections/" + connection + "/timeline", "/connections/new")) {
            String html = EndToEndTest.page(console + page);
            assertThat(html).as(page).doesNotContain("<script>alert('pwned')", "<img src=x", "<b>bold</b>");
            if (!page.equals("/destinations")) { // every other page shows the source's name (or the connection's, after it)
                assertThat(html).as(page).contains("&lt;script&gt;alert(");
            } else {
                assertThat(html).as(page).contains("Robert&#39;); DROP TABLE actor;--");
            }
        }
    }

    static String json(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }

    /** The topics services consume, the event type an impossible one is made of, and the consumer groups reading each. */
    record Consumed(String topic, Schema event, List<String> groups) { }

    static final List<Consumed> CONSUMED = List.of(
            new Consumed(Topics.ACTORS, dev.syncline.events.SourceConfigured.getClassSchema(),
                    List.of("schema-service.actors", "sync-service.actors")),
            new Consumed(Topics.CONNECTIONS, dev.syncline.events.ConnectionCreated.getClassSchema(),
                    List.of("sync-service.connections")),
            new Consumed(Topics.SCHEMA_REQUESTS, dev.syncline.events.SchemaDiscoveryRequested.getClassSchema(),
                    List.of("schema-service.schema-requests")),
            new Consumed(Topics.SCHEMAS, dev.syncline.events.SchemaDiscoveryFailed.getClassSchema(),
                    List.of("connection-service.schemas")),
            new Consumed(Topics.SYNC_COMMANDS, dev.syncline.events.SyncRequested.getClassSchema(),
                    List.of("sync-service.sync-commands")),
            new Consumed(Topics.SYNC_EVENTS, dev.syncline.events.SyncSucceeded.getClassSchema(),
                    List.of("connection-service.sync-events")),
            new Consumed(Topics.RECORDS_REJECTED, dev.syncline.events.RecordsRejected.getClassSchema(),
                    List.of("rejects-service.rejected")),
            new Consumed(Topics.REJECTS_EVENTS, dev.syncline.events.RejectedRecordsDismissed.getClassSchema(),
                    List.of("sync-service.rejects-events")),
            new Consumed(Topics.API_KEYS, dev.syncline.events.ApiKeyIssued.getClassSchema(),
                    List.of("schema-service.api-keys", "sync-service.api-keys", "rejects-service.api-keys")));

    /** The reasons of the dead letters on {@code topic}'s DLQ for each of {@code keys}: one per consumer group. */
    static Map<String, List<String>> deadLetters(EventClient events, String topic, List<String> keys) {
        Map<String, List<String>> letters = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : events.readRaw(Topics.dlq(topic))) {
            var reason = r.headers().lastHeader("dead-letter-reason");
            if (keys.contains(r.key()) && reason != null) {
                letters.computeIfAbsent(r.key(), x -> new ArrayList<>()).add(new String(reason.value()));
            }
        }
        return letters;
    }

    static boolean everyKeyHas(Map<String, List<String>> letters, List<String> keys, int each) {
        return keys.stream().allMatch(k -> letters.getOrDefault(k, List.of()).size() >= each);
    }

    @Test
    void poisonMessagesOnEveryConsumedTopicLandInItsDeadLetterTopicWithTheReasonAndConsumingGoesOn() throws Exception {
        EventClient events = EventClient.of(stack.infrastructure());
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> sent = new LinkedHashMap<>(); // key -> topic
        for (Consumed c : CONSUMED) {
            String k1 = "poison-" + run + "-not-avro-" + c.topic();
            events.sendRaw(c.topic(), k1, PoisonMessages.notAvro());
            String k2 = "poison-" + run + "-unknown-schema-" + c.topic();
            events.sendRaw(c.topic(), k2, PoisonMessages.unknownSchemaId());
            String k3 = "poison-" + run + "-impossible-" + c.topic();
            events.sendGeneric(c.topic(), k3, PoisonMessages.impossible(c.event()));
            sent.put(k1, c.topic());
            sent.put(k2, c.topic());
            sent.put(k3, c.topic());
        }
        // each consumer group puts each of its poison messages on the topic's dead-letter topic, with the reason
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (Consumed c : CONSUMED) {
            List<String> keys = sent.entrySet().stream().filter(e -> e.getValue().equals(c.topic())).map(Map.Entry::getKey).toList();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Map<String, List<String>> letters = deadLetters(events, c.topic(), keys);
            while (!everyKeyHas(letters, keys, c.groups().size()) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                letters = deadLetters(events, c.topic(), keys);
            }
            Map<String, List<String>> seen = letters;
            assertThat(everyKeyHas(seen, keys, c.groups().size()))
                    .as("dead letters on %s.dlq (one per consumer group %s): %s", c.topic(), c.groups(), seen).isTrue();
            reasons.putAll(seen);
        }
        reasons.forEach((k, r) -> System.out.printf("[poison] %s -> %s%n", k, r.stream().distinct().toList()));

        // and every consumer group has gone past them: its committed offset reaches the end of each partition
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.infrastructure().kafka().bootstrapServers()))) {
            for (Consumed c : CONSUMED) {
                var partitions = admin.describeTopics(List.of(c.topic())).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(c.topic()).partitions().stream().map(p -> new TopicPartition(c.topic(), p.partition())).toList();
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                for (String group : c.groups()) {
                    poll(group + " past the poison on " + c.topic(), Duration.ofSeconds(60), () -> {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                        boolean past = partitions.stream().allMatch(tp -> committed.get(tp) != null
                                && committed.get(tp).offset() >= ends.get(tp).offset());
                        return com.fasterxml.jackson.databind.node.BooleanNode.valueOf(past);
                    }, JsonNode::asBoolean);
                }
            }
        }

        // the system still works end to end: a source discovered, a connection synced, a key known everywhere
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"After poison\","
                + "\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":7,\"rows\":50}}"), "sourceId");
        String destination = SyncEngineStackTest.warehouse(stack, "after_poison");
        String connection = SyncEngineStackTest.created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source
                + "\",\"destinationId\":\"" + destination + "\"}"), "connectionId");
        EndToEndTest.discovered("schema discovered", cs + "/connections/" + connection + "/catalog", Duration.ofSeconds(90));
        Thread.sleep(1000);
        assertThat(call("POST", cs + "/connections/" + connection + "/sync", null).status()).isEqualTo(202);
        JsonNode job = poll("the sync after the poison", Duration.ofSeconds(120),
                () -> SyncEngineStackTest.jobs(stack.url(Service.SYNC), connection).path(0),
                j -> List.of("succeeded", "failed").contains(j.path("status").asText()));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        poll("the sync on the connection's timeline", Duration.ofSeconds(60),
                () -> call("GET", cs + "/connections/" + connection + "/timeline", null).body(),
                t -> t.toString().contains("sync_succeeded"));
    }

    @Test
    void aKeyIssuedOrRevokedInConnectionServiceHoldsInEveryServiceWithinMoments() throws Exception {
        Map<Service, String> readable = Map.of(Service.CONNECTION, "/sources", Service.SCHEMA, "/sources/"
                + UUID.randomUUID() + "/catalog", Service.SYNC, "/jobs", Service.REJECTS, "/rejected-records/counts");
        for (Service s : readable.keySet()) {
            assertThat(get(stack.url(s) + readable.get(s), null)).as(s + " without a key").isEqualTo(401);
            assertThat(get(stack.url(s) + "/q/health", null)).as(s + " health").isEqualTo(200);
        }
        JsonNode issued = call("POST", cs + "/api-keys", "{\"name\":\"auditor\",\"role\":\"viewer\"}").body();
        String key = issued.path("key").asText();
        for (Service s : readable.keySet()) {
            poll(s + " accepts the new key", Duration.ofSeconds(30), () -> com.fasterxml.jackson.databind.node.IntNode
                    .valueOf(get(stack.url(s) + readable.get(s), key)), st -> st.asInt() != 401);
        }
        // a viewer reads, but changes nothing anywhere
        assertThat(get(stack.url(Service.SYNC) + "/jobs", key)).isEqualTo(200);
        HttpResponse<String> dismiss = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(Service.REJECTS)
                + "/rejected-records/dismiss")).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"connectionId\":\"" + UUID.randomUUID() + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(dismiss.statusCode()).isEqualTo(403);
        assertThat(dismiss.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");

        // signed in to the console with it: its pages read, its forms change nothing
        String console = stack.url(Service.CONSOLE);
        ConsoleSignIn viewer = ConsoleSignIn.of(console, key);
        HttpResponse<String> list = HTTP.send(viewer.apply(HttpRequest.newBuilder(URI.create(console + "/connections"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("auditor · viewer");
        HttpResponse<String> refused = HTTP.send(viewer.apply(HttpRequest.newBuilder(URI.create(console + "/connections/"
                + UUID.randomUUID() + "/sync"))).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);

        call("DELETE", cs + "/api-keys/" + issued.path("keyId").asText(), null);
        for (Service s : readable.keySet()) {
            poll(s + " refuses the revoked key", Duration.ofSeconds(30), () -> com.fasterxml.jackson.databind.node.IntNode
                    .valueOf(get(stack.url(s) + readable.get(s), key)), st -> st.asInt() == 401);
        }
        // the console's session with the revoked key ends at its next page: the browser is sent to sign in again
        poll("the revoked key's console session ended", Duration.ofSeconds(30), () -> com.fasterxml.jackson.databind.node.IntNode
                .valueOf(HTTP.send(viewer.apply(HttpRequest.newBuilder(URI.create(console + "/connections"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()), st -> st.asInt() == 303);
    }
}
