package dev.syncline.sync.job;

import dev.syncline.events.StreamStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts of a running sync, per stream. Used by the one thread that runs the sync. */
final class SyncStats {
    /** One stream's counts, as the job API shows them. */
    record Stream(String namespace, String stream, long recordsRead, long recordsWritten, long recordsRejected,
                  long bytesRead) { }

    private static final class Counts {
        long read;
        long rejected;
        long bytes;
    }

    private final Map<String, Counts> streams = new LinkedHashMap<>();
    private final Map<String, String[]> names = new LinkedHashMap<>();
    private String lastNamespace;
    private String lastStream;
    private Counts lastCounts;

    void register(String namespace, String stream) {
        String key = key(namespace, stream);
        streams.putIfAbsent(key, new Counts());
        names.putIfAbsent(key, new String[] {namespace, stream});
    }

    void read(String namespace, String stream, long bytes) {
        Counts c = counts(namespace, stream);
        c.read++;
        c.bytes += bytes;
    }

    void rejected(String namespace, String stream) {
        counts(namespace, stream).rejected++;
    }

    long recordsRead() {
        return streams.values().stream().mapToLong(c -> c.read).sum();
    }

    long recordsRejected() {
        return streams.values().stream().mapToLong(c -> c.rejected).sum();
    }

    /** Written = read and not rejected: the destination acknowledged every other record. */
    long recordsWritten() {
        return recordsRead() - recordsRejected();
    }

    long bytesRead() {
        return streams.values().stream().mapToLong(c -> c.bytes).sum();
    }

    List<Stream> perStream() {
        List<Stream> out = new ArrayList<>();
        streams.forEach((k, c) -> out.add(new Stream(names.get(k)[0], names.get(k)[1], c.read, c.read - c.rejected,
                c.rejected, c.bytes)));
        return out;
    }

    List<StreamStats> toAvro() {
        return perStream().stream().map(s -> {
            StreamStats a = new StreamStats();
            a.setNamespace(s.namespace());
            a.setStream(s.stream());
            a.setRecordsRead(s.recordsRead());
            a.setRecordsWritten(s.recordsWritten());
            a.setRecordsRejected(s.recordsRejected());
            a.setBytesRead(s.bytesRead());
            return a;
        }).toList();
    }

    /** About the record's size as JSON, without writing it: names, strings and 8 bytes per other value. */
    static long approximateBytes(Map<String, Object> data) {
        long n = 0;
        if (data instanceof dev.syncline.connectors.spi.RowData row) {
            dev.syncline.connectors.spi.RowData.Layout layout = row.layout();
            for (int i = 0; i < layout.size(); i++) {
                Object v = row.value(i);
                n += layout.name(i).length() + 2 + (v instanceof String s ? s.length() + 2 : 8);
            }
            return n;
        }
        for (var e : data.entrySet()) {
            n += e.getKey().length() + 2;
            Object v = e.getValue();
            n += v instanceof String s ? s.length() + 2 : 8;
        }
        return n;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Two JSON lists of {@link Stream} summed stream by stream (either may be null). */
    static String merge(String a, String b) {
        try {
            Map<String, Stream> sum = new LinkedHashMap<>();
            for (String list : new String[] {a, b}) {
                if (list == null) {
                    continue;
                }
                for (Stream s : JSON.readValue(list, new com.fasterxml.jackson.core.type.TypeReference<List<Stream>>() { })) {
                    sum.merge(key(s.namespace(), s.stream()), s, (x, y) -> new Stream(x.namespace(), x.stream(),
                            x.recordsRead() + y.recordsRead(), x.recordsWritten() + y.recordsWritten(),
                            x.recordsRejected() + y.recordsRejected(), x.bytesRead() + y.bytesRead()));
                }
            }
            return JSON.writeValueAsString(List.copyOf(sum.values()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return b;
        }
    }

    private Counts counts(String namespace, String stream) {
        // records of one stream arrive in runs and share their name strings: no key is built for them
        if (namespace == lastNamespace && stream == lastStream && lastCounts != null) {
            return lastCounts;
        }
        register(namespace, stream);
        lastNamespace = namespace;
        lastStream = stream;
        lastCounts = streams.get(key(namespace, stream));
        return lastCounts;
    }

    private static String key(String namespace, String stream) {
        return namespace == null ? stream : namespace + "." + stream;
    }
}
