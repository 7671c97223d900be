package dev.syncline.bench.debezium;

import io.debezium.connector.jdbc.JdbcSinkConnectorTask;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.embedded.Connect;
import io.debezium.engine.format.ChangeEventFormat;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One table copied by Debezium's embedded engine (snapshot only) into Debezium's JDBC sink task, in this process:
 * the engine hands over batches of change events, each batch goes to the sink's {@code put}. Ends once the sink
 * wrote {@code rows} rows, then drops the replication slot and publication the engine made.
 * <p>Arguments: host port user password source-database target-database table rows (the password also in
 * PGPASSWORD is not read: it is an argument, as the engine takes it in its properties).
 */
public final class DebeziumCopy {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        String port = args[1];
        String user = args[2];
        String password = args[3];
        String sourceDb = args[4];
        String targetDb = args[5];
        String table = args[6]; // schema.table
        long rows = Long.parseLong(args[7]);
        String slot = "peers_debezium";

        Properties p = new Properties();
        p.setProperty("name", "peers");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "60000");
        p.setProperty("database.hostname", host);
        p.setProperty("database.port", port);
        p.setProperty("database.user", user);
        p.setProperty("database.password", password);
        p.setProperty("database.dbname", sourceDb);
        p.setProperty("topic.prefix", "peers");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slot);
        p.setProperty("publication.name", slot);
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", table);
        p.setProperty("snapshot.mode", "initial_only");
        // Debezium's documented throughput settings: larger batches and queue, a larger snapshot fetch
        p.setProperty("max.batch.size", "10240");
        p.setProperty("max.queue.size", "40960");
        p.setProperty("snapshot.fetch.size", "10240");
        p.setProperty("decimal.handling.mode", "precise");

        JdbcSinkConnectorTask sink = new JdbcSinkConnectorTask();
        Map<String, String> sinkConfig = new HashMap<>();
        sinkConfig.put("connection.url", "jdbc:postgresql://" + host + ":" + port + "/" + targetDb);
        sinkConfig.put("connection.username", user);
        sinkConfig.put("connection.password", password);
        sinkConfig.put("insert.mode", "insert");
        sinkConfig.put("primary.key.mode", "record_key");
        sinkConfig.put("schema.evolution", "basic");
        sinkConfig.put("table.name.format", table.substring(table.indexOf('.') + 1));
        sinkConfig.put("batch.size", "10240");
        sinkConfig.put("topics", "peers." + table);
        sink.start(sinkConfig);

        AtomicLong written = new AtomicLong();
        AtomicLong offset = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(p)
                .notifying((records, committer) -> {
                    List<SinkRecord> batch = new ArrayList<>(records.size());
                    for (RecordChangeEvent<SourceRecord> e : records) {
                        SourceRecord r = e.record();
                        if (r != null && r.value() != null && r.topic().equals("peers." + table)) {
                            batch.add(new SinkRecord(r.topic(), 0, r.keySchema(), r.key(), r.valueSchema(), r.value(),
                                    offset.getAndIncrement()));
                        }
                        committer.markProcessed(e);
                    }
                    try {
                        if (!batch.isEmpty()) {
                            sink.put(batch);
                            if (written.addAndGet(batch.size()) >= rows) {
                                sink.flush(new HashMap<>());
                                done.countDown();
                            }
                        }
                    } catch (RuntimeException ex) {
                        failure.set(ex);
                        done.countDown();
                    }
                    committer.markBatchFinished();
                })
                .using((success, message, error) -> {
                    if (!success) {
                        failure.compareAndSet(null, error != null ? error : new IllegalStateException(message));
                    }
                    done.countDown();
                })
                .build();
        ExecutorService run = Executors.newSingleThreadExecutor();
        run.execute(engine);
        boolean ended = done.await(60, TimeUnit.MINUTES);
        engine.close();
        sink.stop();
        run.shutdown();
        run.awaitTermination(60, TimeUnit.SECONDS);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + sourceDb, user, password);
             Statement st = c.createStatement()) {
            st.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '" + slot + "'");
            st.execute("drop publication if exists " + slot);
        }
        if (failure.get() != null) {
            failure.get().printStackTrace();
            System.exit(1);
        }
        if (!ended || written.get() < rows) {
            System.err.printf("wrote %,d of %,d rows%n", written.get(), rows);
            System.exit(1);
        }
        System.out.printf("wrote %,d rows%n", written.get());
        System.exit(0);
    }
}
