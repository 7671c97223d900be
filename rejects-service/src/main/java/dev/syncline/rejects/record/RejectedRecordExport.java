package dev.syncline.rejects.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A streamed export: the rows are read a page at a time (keyset on id) and each page becomes one chunk of the
 * response, so a million rejected records never sit in memory at once. CSV columns are the union of the source
 * records' top-level fields (in the order they first appear), then the rejection's reason, field and message;
 * nested values are written as JSON. Written with Jackson's CSV module.
 */
final class RejectedRecordExport {
    static final int PAGE = 1000;
    private static final CsvMapper CSV = new CsvMapper();
    private static final List<String> REJECTED = List.of("rejected_reason", "rejected_field", "rejected_message");

    private final Pool db;
    private final ObjectMapper json;
    private final RejectedRecordFilter filter;
    private final boolean csv;

    RejectedRecordExport(Pool db, ObjectMapper json, RejectedRecordFilter filter, boolean csv) {
        this.db = db;
        this.json = json;
        this.filter = filter;
        this.csv = csv;
    }

    Multi<String> stream() {
        Uni<List<String>> columns = csv ? columns() : Uni.createFrom().item(List.of());
        return columns.onItem().transformToMulti(cols -> {
            Multi<String> header = csv ? Multi.createFrom().item(() -> withoutLastBreak(line(cols))) : Multi.createFrom().empty();
            long[] after = {0};
            Multi<String> pages = Multi.createBy().repeating()
                    .uni(() -> after, a -> page(a[0]).invoke(rows -> {
                        if (!rows.isEmpty()) {
                            a[0] = rows.getLast().getLong("id");
                        }
                    }))
                    .until(List::isEmpty)
                    .map(rows -> withoutLastBreak(chunk(rows, cols)));
            // Quarkus REST ends each streamed text item with a line break of its own: the items carry none at their end
            return Multi.createBy().concatenating().streams(header, pages);
        });
    }

    /** The source records' top-level fields, in the order they first appear. */
    private Uni<List<String>> columns() {
        List<Object> params = new ArrayList<>();
        String where = filter.where(params);
        return db.preparedQuery("select k from rejected_record r, json_object_keys(r.record::json) with ordinality as o(k, n) "
                        + "where " + where + " and json_typeof(r.record::json) = 'object' "
                        + "group by k order by min(r.id), min(o.n)")
                .execute(Tuple.from(params)).map(rows -> {
                    List<String> out = new ArrayList<>();
                    for (Row r : rows) {
                        String k = r.getString(0);
                        if (!REJECTED.contains(k)) {
                            out.add(k);
                        }
                    }
                    out.addAll(REJECTED);
                    return out;
                });
    }

    private Uni<List<Row>> page(long afterId) {
        List<Object> params = new ArrayList<>();
        String where = filter.where(params);
        params.add(afterId);
        return db.preparedQuery("select id, record, reasons from rejected_record where " + where + " and id > $" + params.size()
                        + " order by id limit " + PAGE)
                .execute(Tuple.from(params)).map(rows -> {
                    List<Row> out = new ArrayList<>(PAGE);
                    for (Row r : rows) {
                        out.add(r);
                    }
                    return out;
                });
    }

    private String chunk(List<Row> rows, List<String> cols) {
        StringBuilder out = new StringBuilder(rows.size() * 200);
        try {
            for (Row r : rows) {
                JsonNode record = json.readTree(r.getString("record"));
                Map<String, String> rejected = RejectedRecordResource.reasonColumns(json, r.getString("reasons"));
                if (csv) {
                    List<String> values = new ArrayList<>(cols.size());
                    for (String c : cols) {
                        if (REJECTED.contains(c)) {
                            values.add(rejected.getOrDefault(c, ""));
                        } else {
                            JsonNode v = record.get(c);
                            // an empty cell for a missing value (a null would drop the cell and shift the row)
                            values.add(v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : json.writeValueAsString(v));
                        }
                    }
                    out.append(line(values));
                } else {
                    ObjectNode o = record.isObject() ? (ObjectNode) record : json.createObjectNode().set("record", record);
                    rejected.forEach(o::put);
                    out.append(json.writeValueAsString(o)).append('\n');
                }
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String withoutLastBreak(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static String line(List<String> values) {
        StringWriter w = new StringWriter();
        try (SequenceWriter s = CSV.writer(CsvSchema.emptySchema()).writeValues(w)) {
            s.write(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
