package dev.syncline.console;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * What pushes the console's pages: the records of {@code syncline.sync.events} (keyed by connection) and
 * {@code syncline.schemas} (keyed by source), read from their end with no consumer group, so the console commits
 * nothing and lags nobody. Only the keys are read: a page told "this connection changed" fetches its new state from
 * the services' APIs, the one place it is decided.
 */
@ApplicationScoped
public class LiveEvents {
    private static final Logger LOG = Logger.getLogger(LiveEvents.class);
    static final String SYNC_EVENTS = "syncline.sync.events";
    static final String SCHEMAS = "syncline.schemas";

    /** A record seen: its topic and key. */
    public record Change(String topic, String key) { }

    @Inject
    ServiceUrls.Kafka kafka;

    private String bootstrap() {
        return kafka.bootstrap().servers();
    }

    private final BroadcastProcessor<Change> changes = BroadcastProcessor.create();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean stopping;
    private Thread thread;

    void start(@Observes StartupEvent e) {
        thread = Thread.ofPlatform().daemon().name("console-live-events").start(this::run);
    }

    void stop(@Observes ShutdownEvent e) {
        stopping = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Every change from now on; the stream of one page's subscription. */
    public Multi<Change> changes() {
        return changes;
    }

    private void run() {
        while (!stopping) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                    ConsumerConfig.CLIENT_ID_CONFIG, "syncline-console-live", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(SYNC_EVENTS, SCHEMAS)) {
                    List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
                    if (infos != null) {
                        infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                    }
                }
                if (partitions.isEmpty()) {
                    Thread.sleep(2000); // the topics are made when the services start
                    continue;
                }
                c.assign(partitions);
                c.seekToEnd(partitions);
                while (!stopping) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
                        if (r.key() != null) {
                            changes.onNext(new Change(r.topic(), r.key()));
                        }
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.debugf(e, "live events: the broker at %s is not answering; trying again", bootstrap());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException i) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
