package dev.syncline.testing;

import dev.syncline.infra.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads and writes Syncline events on the real broker with the same serdes as the services (Apicurio Avro,
 * one registry artifact per event type): how a test plays another service or checks what one published.
 */
public final class EventClient {
    public static final String SERIALIZER = "io.apicurio.registry.serde.avro.AvroKafkaSerializer";
    public static final String DESERIALIZER = "io.apicurio.registry.serde.avro.AvroKafkaDeserializer";
    public static final String RECORD_ID_STRATEGY = "io.apicurio.registry.serde.avro.strategy.RecordIdStrategy";

    // The serdes' registry client otherwise shares one static Vert.x with every other client of this class loader
    // (in a @QuarkusTest, the service's own consumers) and closes it when a test's producer closes.
    private static final io.vertx.core.Vertx VERTX = io.vertx.core.Vertx.vertx();

    private static final int REGISTRY_ATTEMPTS = 3;
    private static final java.util.concurrent.ExecutorService REGISTRY_CALLS = java.util.concurrent.Executors
            .newCachedThreadPool(r -> {
                Thread t = new Thread(r, "event-client-registry");
                t.setDaemon(true);
                return t;
            });

    private final String bootstrap;
    private final String registryUrl;
    private final Duration registryTimeout;

    public EventClient(String bootstrap, String registryUrl) {
        this(bootstrap, registryUrl, Duration.ofSeconds(30));
    }

    /** {@code registryTimeout}: how long one attempt at the registry lookup a send needs may take. */
    public EventClient(String bootstrap, String registryUrl, Duration registryTimeout) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.registryTimeout = registryTimeout;
    }

    public static EventClient of(Infrastructure infra) {
        return new EventClient(infra.kafka().bootstrapServers(), infra.registry().url());
    }

    public void send(String topic, String key, SpecificRecord event) {
        sendGeneric(topic, key, dev.syncline.events.EventCodec.toGeneric(event));
    }

    /**
     * Sends any Avro record through the registry, as a service's producer would (a poison test's impossible events).
     * The registry lookup is bounded and tried again: the serdes' registry client sets no timeout of its own, so one
     * request the registry never answered held a test for the registry's 30-minute idle timeout.
     */
    public void sendGeneric(String topic, String key, org.apache.avro.generic.GenericRecord event) {
        sendRaw(topic, key, serializeBounded(topic, event));
    }

    private byte[] serializeBounded(String topic, org.apache.avro.generic.GenericRecord event) {
        return registryCall(() -> serializeGeneric(topic, event), "serializing for " + topic, "send to " + topic, 0);
    }

    /**
     * {@code call}, which may look something up in the registry: each attempt bounded by {@code registryTimeout}, and
     * tried again up to {@link #REGISTRY_ATTEMPTS} times, {@code pauseMillis} times the attempt apart.
     */
    private <T> T registryCall(java.util.function.Supplier<T> call, String doing, String what, long pauseMillis) {
        Exception last = null;
        for (int attempt = 1; attempt <= REGISTRY_ATTEMPTS; attempt++) {
            java.util.concurrent.CompletableFuture<T> result = java.util.concurrent.CompletableFuture.supplyAsync(call,
                    REGISTRY_CALLS);
            try {
                return result.get(registryTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                result.cancel(true);
                last = new IllegalStateException("the registry did not answer within " + registryTimeout);
            } catch (java.util.concurrent.ExecutionException e) {
                last = e.getCause() instanceof Exception cause ? cause : e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: could not " + what, e);
            }
            System.err.printf("[syncline-testing] %s, attempt %d of %d: %s%n", doing, attempt, REGISTRY_ATTEMPTS,
                    describe(last));
            try {
                Thread.sleep(pauseMillis * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: could not " + what, e);
            }
        }
        throw new IllegalStateException("could not " + what + ": " + describe(last), last);
    }

    /**
     * The event as a producer would put it on {@code topic} (the registry's framing, its schema id), to send later with
     * {@link #sendRaw}: a fault test sends it while the registry is away.
     */
    public byte[] serialize(String topic, SpecificRecord event) {
        return serializeGeneric(topic, dev.syncline.events.EventCodec.toGeneric(event));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private byte[] serializeGeneric(String topic, org.apache.avro.generic.GenericRecord event) {
        Map<String, Object> config = new java.util.HashMap<>();
        config.put("apicurio.registry.url", registryUrl);
        config.put("apicurio.registry.auto-register", "true");
        config.put("apicurio.registry.vertx.instance", VERTX);
        config.put("apicurio.registry.artifact-resolver-strategy", RECORD_ID_STRATEGY);
        config.put("apicurio.registry.dereference-schema", "true");
        try (org.apache.kafka.common.serialization.Serializer serializer = (org.apache.kafka.common.serialization.Serializer)
                Class.forName(SERIALIZER).getDeclaredConstructor().newInstance()) {
            serializer.configure(config, false);
            return serializer.serialize(topic, event);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends bytes as they are: how a test puts a poison message on a topic. */
    public void sendRaw(String topic, String key, byte[] value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Every record on {@code topic} now, as raw bytes with headers (e.g. a dead-letter topic). */
    public List<ConsumerRecord<String, byte[]>> readRaw(String topic) {
        Properties p = consumerProperties();
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            List<org.apache.kafka.common.TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(250)).forEach(out::add);
            }
        }
        return out;
    }

    /** Reads {@code topic} from the beginning until {@code count} events match, or fails after {@code timeout}. */
    public <T> List<T> await(String topic, Class<T> type, Predicate<T> match, int count, Duration timeout) {
        Properties p = consumerProperties();
        List<T> found = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
                Decoder decoder = new Decoder()) {
            consumer.subscribe(List.of(topic));
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    Object v = decoder.decode(r);
                    seen.add(v == null ? "null" : v.getClass().getName());
                    if (type.isInstance(v) && match.test(type.cast(v))) {
                        found.add(type.cast(v));
                    }
                }
            }
        }
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " " + type.getSimpleName() + " on " + topic + " within "
                    + timeout.toSeconds() + " s, found " + found.size() + " (saw " + seen + ")");
        }
        return found;
    }

    /** Every matching event on {@code topic} now: reads each partition from the start to its current end. */
    public <T> List<T> readAll(String topic, Class<T> type, Predicate<T> match) {
        Properties p = consumerProperties();
        List<T> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
                Decoder decoder = new Decoder()) {
            List<org.apache.kafka.common.TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 60 s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    Object v = decoder.decode(r);
                    if (type.isInstance(v) && match.test(type.cast(v))) {
                        found.add(type.cast(v));
                    }
                }
            }
        }
        return found;
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        return p;
    }

    /**
     * Decodes what a consumer read as bytes with the services' deserializer, one per read (it keeps the schemas it
     * looked up). The registry lookup is bounded and tried again, as the services' own consumers do
     * ({@code RegistryRetry}): one failed lookup, under the load of a whole build on two cores, failed a test that
     * had read the same record a moment before.
     */
    private final class Decoder implements AutoCloseable {
        private final org.apache.kafka.common.serialization.Deserializer<Object> deserializer;

        @SuppressWarnings("unchecked")
        Decoder() {
            Map<String, Object> config = new java.util.HashMap<>();
            config.put("apicurio.registry.url", registryUrl);
            config.put("apicurio.registry.use-specific-avro-reader", "false");
            config.put("apicurio.registry.vertx.instance", VERTX);
            try {
                deserializer = (org.apache.kafka.common.serialization.Deserializer<Object>) Class.forName(DESERIALIZER)
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            deserializer.configure(config, false);
        }

        /** The record's value as its specific event class, or null for a tombstone. */
        Object decode(ConsumerRecord<String, byte[]> r) {
            if (r.value() == null) {
                return null;
            }
            String where = r.topic() + "-" + r.partition() + " at offset " + r.offset();
            return dev.syncline.events.EventCodec.toSpecific(registryCall(
                    () -> deserializer.deserialize(r.topic(), r.headers(), r.value()), "deserializing " + where,
                    "deserialize " + where, 200));
        }

        @Override
        public void close() {
            deserializer.close();
        }
    }

    /** An exception and its causes' messages, for a failure whose cause a report would otherwise hide. */
    private static String describe(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null && out.length() < 2000; c = c.getCause()) {
            out.append(out.isEmpty() ? "" : " <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return out.toString();
    }

    public <T> T awaitOne(String topic, Class<T> type, Predicate<T> match) {
        return await(topic, type, match, 1, Duration.ofSeconds(60)).getFirst();
    }
}
