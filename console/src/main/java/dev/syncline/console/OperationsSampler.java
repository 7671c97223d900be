package dev.syncline.console;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * What the Operations page charts, sampled every few seconds and kept for the last hour: per topic its end offset
 * (messages in) and size, per consumer group its committed offsets (messages out) and lag, each service's health,
 * and sync-service's own Prometheus counters (syncs running, records read and rejected). Kafka is read with its
 * admin client, the services over HTTP: the console holds no database and asks nobody to report to it.
 */
@ApplicationScoped
public class OperationsSampler {
    private static final Logger LOG = Logger.getLogger(OperationsSampler.class);
    private static final Duration WINDOW = Duration.ofHours(1);

    /** One sample. Offsets and sizes are totals over a topic's partitions. */
    public record Sample(long at, Map<String, Long> endOffsets, Map<String, Long> sizes,
                         Map<String, Map<String, Long>> committed, Map<String, Long> lag, Map<String, Boolean> health,
                         double syncsRunning, double recordsRead, double recordsRejected, String kafkaError) { }

    @jakarta.inject.Inject
    ConsoleConfig.Operations config;

    @jakarta.inject.Inject
    ConsoleConfig console;

    @jakarta.inject.Inject
    ServiceUrls services;

    @jakarta.inject.Inject
    ServiceUrls.SchemaService schemaService;

    @jakarta.inject.Inject
    ServiceUrls.Kafka kafka;

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    /** The console's own gauges of what the broker says, for Prometheus: lag per group, messages per topic. */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> gauges = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ScheduledExecutorService timer;
    private Admin admin;

    void start(@Observes StartupEvent e) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "operations-sampler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sampleQuietly, 0, config.sampleInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    /** The services this page watches, by name, with their URLs. */
    public Map<String, String> services() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("connection-service", services.connectionService().url());
        m.put("schema-service", schemaService.url());
        m.put("sync-service", services.syncService().url());
        m.put("rejects-service", services.rejectsService().url());
        return m;
    }

    public String bootstrap() {
        return kafka.bootstrap().servers();
    }

    /** The samples of the last hour, oldest first. */
    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private void sampleQuietly() {
        try {
            Sample s = sample();
            s.lag().forEach((group, lag) -> gauge("syncline.consumer.group.lag", "group", group).set(lag));
            s.endOffsets().forEach((topic, end) -> gauge("syncline.topic.messages", "topic", topic).set(end));
            synchronized (this) {
                samples.addLast(s);
                while (!samples.isEmpty() && samples.peekFirst().at() < s.at() - WINDOW.toMillis()) {
                    samples.removeFirst();
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.debugf(e, "operations sample failed");
        }
    }

    Sample sample() {
        long at = System.currentTimeMillis();
        Map<String, Long> ends = new TreeMap<>();
        Map<String, Long> sizes = new TreeMap<>();
        Map<String, Map<String, Long>> committed = new TreeMap<>();
        Map<String, Long> lag = new TreeMap<>();
        String kafkaError = null;
        try {
            kafka(ends, sizes, committed, lag);
        } catch (Exception e) {
            kafkaError = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause().getMessage() : String.valueOf(e.getMessage());
            if (admin != null) {
                admin.close(Duration.ZERO);
                admin = null;
            }
        }
        Map<String, Boolean> health = new LinkedHashMap<>();
        services().forEach((name, url) -> health.put(name, get(url + "/q/health") != null));
        double running = 0;
        double read = 0;
        double rejected = 0;
        String metrics = get(services.syncService().url() + "/q/metrics");
        if (metrics != null) {
            running = metric(metrics, "syncline_syncs_running");
            read = metric(metrics, "syncline_sync_records_read_total");
            rejected = metric(metrics, "syncline_sync_records_rejected_total");
        }
        return new Sample(at, ends, sizes, committed, lag, health, running, read, rejected, kafkaError);
    }

    private void kafka(Map<String, Long> ends, Map<String, Long> sizes, Map<String, Map<String, Long>> committed,
                       Map<String, Long> lag) throws Exception {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000,
                    AdminClientConfig.CLIENT_ID_CONFIG, "syncline-console-operations"));
        }
        List<String> topics = admin.listTopics().names().get(5, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith("syncline.")).sorted().toList();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).values()) {
            d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).forEach((tp, info) -> {
            end.put(tp, info.offset());
            ends.merge(tp.topic(), info.offset(), Long::sum);
        });
        List<Integer> brokers = new ArrayList<>();
        for (Node n : admin.describeCluster().nodes().get(5, TimeUnit.SECONDS)) {
            brokers.add(n.id());
        }
        admin.describeLogDirs(brokers).allDescriptions().get(5, TimeUnit.SECONDS).values().forEach(dirs ->
                dirs.values().forEach(dir -> dir.replicaInfos().forEach((tp, replica) -> {
                    if (tp.topic().startsWith("syncline.")) {
                        sizes.merge(tp.topic(), replica.size(), Long::sum);
                    }
                })));
        for (GroupListing g : admin.listGroups().all().get(5, TimeUnit.SECONDS)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(g.groupId())
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<String, Long> byTopic = new TreeMap<>();
            long behind = 0;
            for (var entry : offsets.entrySet()) {
                if (entry.getValue() == null || !entry.getKey().topic().startsWith("syncline.")) {
                    continue;
                }
                byTopic.merge(entry.getKey().topic(), entry.getValue().offset(), Long::sum);
                behind += Math.max(0, end.getOrDefault(entry.getKey(), entry.getValue().offset()) - entry.getValue().offset());
            }
            if (!byTopic.isEmpty()) {
                committed.put(g.groupId(), byTopic);
                lag.put(g.groupId(), behind);
            }
        }
    }

    private java.util.concurrent.atomic.AtomicLong gauge(String name, String tag, String value) {
        return gauges.computeIfAbsent(name + "|" + value, k -> registry.gauge(name,
                io.micrometer.core.instrument.Tags.of(tag, value), new java.util.concurrent.atomic.AtomicLong()));
    }

    private String get(String url) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2));
            // the console's own calls carry its own credential (health and metrics need none; a service may ask)
            console.serviceKey().ifPresent(k -> request.header("Authorization", "Bearer " + k));
            HttpResponse<String> r = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The value of an untagged metric (the sum over its tags when it has some) in Prometheus text format. */
    static double metric(String text, String name) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                try {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } catch (NumberFormatException ignored) {
                    // not a sample line
                }
            }
        }
        return sum;
    }
}
