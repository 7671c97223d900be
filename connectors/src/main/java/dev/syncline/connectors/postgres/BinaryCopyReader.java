package dev.syncline.connectors.postgres;

import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.JsonText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.util.ByteConverter;

/**
 * Reads a query's rows with {@code COPY (query) TO STDOUT (FORMAT binary)}: PostgreSQL streams them without
 * waiting for the reader to ask for the next batch (a cursor's fetches take turns with the reader instead), and
 * values arrive as PostgreSQL holds them, with no text to parse. Only for columns whose types it decodes into
 * exactly the values the JDBC path gives ({@link PostgresSource#value}); {@link #of} says when it cannot.
 */
final class BinaryCopyReader {
    private static final long PG_EPOCH_SECONDS = BinaryCopyRows.PG_EPOCH_SECONDS;
    private static final long PG_EPOCH_DAYS = BinaryCopyRows.PG_EPOCH_DAYS;
    private static final int SIGNATURE = BinaryCopyRows.SIGNATURE_LENGTH;

    private enum Decoder { INT2, INT4, INT8, BOOL, NUMERIC, TEXT, UUID, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, JSON, JSONB, BYTEA }

    /** The types it decodes, and the Syncline type each must have been discovered as. */
    private static final Map<String, Decoder> DECODERS = Map.ofEntries(Map.entry("int2", Decoder.INT2),
            Map.entry("int4", Decoder.INT4), Map.entry("int8", Decoder.INT8), Map.entry("bool", Decoder.BOOL),
            Map.entry("numeric", Decoder.NUMERIC), Map.entry("text", Decoder.TEXT), Map.entry("varchar", Decoder.TEXT),
            Map.entry("bpchar", Decoder.TEXT), Map.entry("name", Decoder.TEXT), Map.entry("uuid", Decoder.UUID),
            Map.entry("date", Decoder.DATE), Map.entry("time", Decoder.TIME), Map.entry("timestamp", Decoder.TIMESTAMP),
            Map.entry("timestamptz", Decoder.TIMESTAMPTZ), Map.entry("json", Decoder.JSON), Map.entry("jsonb", Decoder.JSONB),
            Map.entry("bytea", Decoder.BYTEA));

    private static FieldType typeOf(Decoder d) {
        return switch (d) {
            case INT2, INT4, INT8 -> FieldType.INTEGER;
            case BOOL -> FieldType.BOOLEAN;
            case NUMERIC -> FieldType.NUMBER;
            case TEXT, UUID -> FieldType.STRING;
            case DATE -> FieldType.DATE;
            case TIME -> FieldType.TIME;
            case TIMESTAMP -> FieldType.TIMESTAMP;
            case TIMESTAMPTZ -> FieldType.TIMESTAMP_TZ;
            case JSON, JSONB -> FieldType.OBJECT;
            case BYTEA -> FieldType.BINARY;
        };
    }

    private final Decoder[] decoders;

    private BinaryCopyReader(Decoder[] decoders) {
        this.decoders = decoders;
    }

    /**
     * A reader for {@code fields} of relation {@code table}, or null when one of them has a type it does not decode
     * (arrays, floats, enums, intervals, ...) or was discovered as another Syncline type: the JDBC path reads those.
     */
    static BinaryCopyReader of(Connection c, String table, List<Field> fields) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("select a.attname, coalesce(bt.typname, t.typname), "
                + "coalesce(bt.typtype, t.typtype)::text from pg_attribute a join pg_type t on t.oid = a.atttypid "
                + "left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype "
                + "where a.attrelid = ?::regclass and a.attnum > 0 and not a.attisdropped")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), "b".equals(rs.getString(3)) ? rs.getString(2) : "?");
                }
            }
        }
        Decoder[] decoders = new Decoder[fields.size()];
        for (int i = 0; i < decoders.length; i++) {
            Decoder d = DECODERS.get(types.getOrDefault(fields.get(i).name(), "?"));
            if (d == null || typeOf(d) != fields.get(i).type()) {
                return null;
            }
            decoders[i] = d;
        }
        return new BinaryCopyReader(decoders);
    }

    /** What reads the rows. */
    interface RowSink {
        void row(Object[] values) throws InterruptedException;
    }

    /** Where the rows come from: PostgreSQL's CopyData messages, each a byte array (usually one row each). */
    interface Messages {
        /** The next message, or null at the end. */
        byte[] next() throws SQLException;
    }

    // the message being read, and where; a row split over messages (PostgreSQL sends a row per message) is joined
    private byte[] data = new byte[0];
    private int pos;

    /** Streams the binary COPY output into {@code sink}, a row at a time, decoding values in place. */
    void read(Messages in, RowSink sink) throws SQLException, InterruptedException {
        data = new byte[0];
        pos = 0;
        need(in, SIGNATURE + 8);
        if (!Arrays.equals(data, pos, pos + SIGNATURE, BinaryCopyRows.HEADER, 0, SIGNATURE)) {
            throw new SQLException("not PostgreSQL's binary COPY format", "08P01");
        }
        pos += SIGNATURE + 4; // then the flags
        int extension = ByteConverter.int4(data, pos);
        pos += 4;
        need(in, extension);
        pos += extension;
        while (true) {
            need(in, 2);
            short n = ByteConverter.int2(data, pos);
            pos += 2;
            if (n == -1) {
                return;
            }
            if (n != decoders.length) {
                throw new SQLException("binary COPY row of " + n + " fields, expected " + decoders.length, "08P01");
            }
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                need(in, 4);
                int len = ByteConverter.int4(data, pos);
                pos += 4;
                if (len >= 0) {
                    need(in, len);
                    values[i] = decode(decoders[i], data, pos, len);
                    pos += len;
                }
            }
            sink.row(values);
        }
    }

    /** Makes sure {@code n} more bytes are in {@link #data} from {@link #pos}. */
    private void need(Messages in, int n) throws SQLException {
        while (data.length - pos < n) {
            byte[] next = in.next();
            if (next == null) {
                throw new SQLException("binary COPY ended in the middle of a row", "08006");
            }
            if (pos == data.length) {
                data = next;
            } else {
                byte[] joined = Arrays.copyOfRange(data, pos, data.length + next.length);
                System.arraycopy(next, 0, joined, data.length - pos, next.length);
                data = joined;
            }
            pos = 0;
        }
    }

    /** The value as {@link PostgresSource#value} gives it for the same column read as text. */
    private static Object decode(Decoder d, byte[] b, int at, int len) {
        return switch (d) {
            case INT2 -> (long) ByteConverter.int2(b, at);
            case INT4 -> (long) ByteConverter.int4(b, at);
            case INT8 -> ByteConverter.int8(b, at);
            case BOOL -> b[at] != 0;
            case NUMERIC -> numeric(b, at, len);
            case TEXT, JSON -> {
                String s = new String(b, at, len, StandardCharsets.UTF_8);
                yield d == Decoder.JSON ? new JsonText(s) : s;
            }
            case JSONB -> new JsonText(new String(b, at + 1, len - 1, StandardCharsets.UTF_8)); // after the version byte
            case UUID -> new UUID(ByteConverter.int8(b, at), ByteConverter.int8(b, at + 8)).toString();
            case DATE -> {
                int days = ByteConverter.int4(b, at);
                // infinities as pgjdbc gives them
                yield days == Integer.MAX_VALUE ? LocalDate.MAX : days == Integer.MIN_VALUE ? LocalDate.MIN
                        : LocalDate.ofEpochDay(days + PG_EPOCH_DAYS);
            }
            case TIME -> {
                long micros = ByteConverter.int8(b, at);
                yield micros >= 86_400_000_000L ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1000);
            }
            case TIMESTAMP, TIMESTAMPTZ -> {
                long micros = ByteConverter.int8(b, at);
                if (micros == Long.MAX_VALUE || micros == Long.MIN_VALUE) { // infinities as pgjdbc gives them
                    boolean max = micros == Long.MAX_VALUE;
                    yield d == Decoder.TIMESTAMP ? (max ? LocalDateTime.MAX : LocalDateTime.MIN)
                            : (max ? OffsetDateTime.MAX : OffsetDateTime.MIN);
                }
                LocalDateTime ts = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L) + PG_EPOCH_SECONDS,
                        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
                yield d == Decoder.TIMESTAMP ? ts : OffsetDateTime.of(ts, ZoneOffset.UTC);
            }
            case BYTEA -> Arrays.copyOfRange(b, at, at + len);
        };
    }

    private static Object numeric(byte[] b, int at, int len) {
        int sign = ByteConverter.int2(b, at + 4) & 0xFFFF;
        return switch (sign) {
            case 0xC000 -> "NaN";
            case 0xD000 -> "Infinity";
            case 0xF000 -> "-Infinity";
            default -> {
                Number n = ByteConverter.numeric(b, at, len);
                yield n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
            }
        };
    }
}
