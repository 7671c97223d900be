package dev.syncline.connectors.postgres;

import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.JsonText;
import dev.syncline.connectors.sql.SqlValues;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.postgresql.util.ByteConverter;

/**
 * Rows in PostgreSQL's binary COPY format (header and trailer added when sent): the values go in as PostgreSQL
 * stores them, so the server parses no text (no numeric, timestamp, uuid or jsonb input functions) and the JVM
 * formats none. A value whose Java type is not its column's natural one goes through {@link SqlValues#convert}
 * first, so what is accepted or refused, and the reason, stay those of the text format.
 */
final class BinaryCopyRows {
    static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};
    /** PostgreSQL's epoch (2000-01-01) in Unix seconds and days. */
    static final long PG_EPOCH_SECONDS = 946_684_800L;
    static final long PG_EPOCH_DAYS = 10_957L;
    /** The binary format's signature, which starts {@link #HEADER}. */
    static final int SIGNATURE_LENGTH = 11;
    private static final byte[] NUMERIC_NAN = {0, 0, 0, 0, (byte) 0xC0, 0, 0, 0};
    private static final byte[] NUMERIC_POS_INF = {0, 0, 0, 0, (byte) 0xD0, 0, 0, 0};
    private static final byte[] NUMERIC_NEG_INF = {0, 0, 0, 0, (byte) 0xF0, 0, 0, 0};

    private byte[] buf = new byte[64 * 1024];
    private int len;

    int length() {
        return len;
    }

    byte[] array() {
        return buf;
    }

    void clear() {
        len = 0;
    }

    /** Cuts what was written after {@code mark} (a refused row). */
    void truncate(int mark) {
        len = mark;
    }

    void startRow(int fields) {
        ensure(2);
        buf[len++] = (byte) (fields >>> 8);
        buf[len++] = (byte) fields;
    }

    void nullField() {
        putInt(-1);
    }

    void uuid(UUID id) {
        ensure(20);
        putInt(16);
        putLong(id.getMostSignificantBits());
        putLong(id.getLeastSignificantBits());
    }

    void timestampTz(Instant at) {
        ensure(12);
        putInt(8);
        putLong(micros(at.getEpochSecond(), at.getNano()));
    }

    /** Sets the field count of the row that starts at {@code rowStart}. */
    void fieldCount(int rowStart, int fields) {
        buf[rowStart] = (byte) (fields >>> 8);
        buf[rowStart + 1] = (byte) fields;
    }

    /**
     * Appends the jsonb field {@code json} to each of the {@code rows} complete rows starting at {@code starts}
     * (updated), each getting one more field; the row being written at {@code current} moves along behind them.
     * Returns where that row now starts.
     */
    int appendToEachRow(int[] starts, int rows, int current, String json) {
        BinaryCopyRows one = new BinaryCopyRows();
        one.jsonb(json);
        byte[] field = Arrays.copyOf(one.buf, one.len);
        byte[] out = new byte[Math.max(buf.length, len + rows * field.length + 1024)];
        int at = 0;
        for (int i = 0; i < rows; i++) {
            int from = starts[i];
            int to = i + 1 < rows ? starts[i + 1] : current;
            starts[i] = at;
            System.arraycopy(buf, from, out, at, to - from);
            int fields = ((out[at] & 0xFF) << 8 | (out[at + 1] & 0xFF)) + 1;
            out[at] = (byte) (fields >>> 8);
            out[at + 1] = (byte) fields;
            at += to - from;
            System.arraycopy(field, 0, out, at, field.length);
            at += field.length;
        }
        int moved = at;
        System.arraycopy(buf, current, out, at, len - current);
        len = at + len - current;
        buf = out;
        return moved;
    }

    /** A jsonb value from its JSON text. */
    void jsonb(String json) {
        byte[] b = utf8(json);
        ensure(5 + b.length);
        putInt(b.length + 1);
        buf[len++] = 1; // jsonb's binary format version
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /**
     * Writes {@code value} as a field of a column of {@code type}: NULL when it is null, or when it cannot be
     * converted, and then says why (the same reason as the text format gives).
     */
    String field(Object value, FieldType type) {
        if (value == null) {
            nullField();
            return null;
        }
        int mark = len;
        try {
            if (fast(value, type)) {
                return null;
            }
        } catch (ArithmeticException e) { // a date or time beyond what PostgreSQL can hold
            len = mark;
            nullField();
            return value + " is out of range for " + type.wireName();
        }
        SqlValues.Converted v = SqlValues.convert(value, type);
        if (v.text() == null) {
            nullField();
            return v.error();
        }
        try {
            fromText(v.text(), type);
            return null;
        } catch (DateTimeParseException | IllegalArgumentException | ArithmeticException e) {
            len = mark;
            nullField();
            return "'" + v.text() + "' is not a valid " + type.wireName();
        }
    }

    /** The common cases: a value that already has its column's Java type. */
    private boolean fast(Object v, FieldType type) {
        switch (type) {
            case INTEGER -> {
                if (v instanceof Long || v instanceof Integer) {
                    int8(((Number) v).longValue());
                    return true;
                }
            }
            case NUMBER -> {
                if (v instanceof BigDecimal d) {
                    numeric(d);
                    return true;
                }
                if (v instanceof Long || v instanceof Integer) {
                    numeric(BigDecimal.valueOf(((Number) v).longValue()));
                    return true;
                }
            }
            case STRING -> {
                if (v instanceof String s) {
                    text(s);
                    return true;
                }
                if (v instanceof JsonText j) {
                    text(j.json());
                    return true;
                }
            }
            case BOOLEAN -> {
                if (v instanceof Boolean b) {
                    ensure(5);
                    putInt(1);
                    buf[len++] = (byte) (b ? 1 : 0);
                    return true;
                }
            }
            case TIMESTAMP_TZ -> {
                if (v instanceof OffsetDateTime o) {
                    int8(micros(o.toEpochSecond(), o.getNano()));
                    return true;
                }
                if (v instanceof Instant i) {
                    timestampTz(i);
                    return true;
                }
            }
            case TIMESTAMP -> {
                if (v instanceof LocalDateTime l) {
                    int8(micros(l.toEpochSecond(ZoneOffset.UTC), l.getNano()));
                    return true;
                }
            }
            case DATE -> {
                if (v instanceof LocalDate d) {
                    date(d);
                    return true;
                }
            }
            case TIME -> {
                if (v instanceof LocalTime t) {
                    time(t);
                    return true;
                }
            }
            case OBJECT, ARRAY -> {
                if (v instanceof JsonText j) {
                    jsonb(j.json());
                    return true;
                }
            }
            case BINARY -> {
                if (v instanceof byte[] b) {
                    bytes(b);
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code text} is {@link SqlValues#convert}'s canonical text of a value of {@code type}. */
    private void fromText(String text, FieldType type) {
        switch (type) {
            case STRING -> text(text);
            case BOOLEAN -> fast(Boolean.parseBoolean(text), type);
            case INTEGER -> int8(Long.parseLong(text));
            case NUMBER -> numericText(text);
            case DATE -> date(LocalDate.parse(text));
            case TIME -> time(LocalTime.parse(text));
            case TIMESTAMP -> fast(LocalDateTime.parse(text), type);
            case TIMESTAMP_TZ -> {
                Instant at;
                try {
                    at = OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    at = Instant.parse(text);
                }
                timestampTz(at);
            }
            case OBJECT, ARRAY -> jsonb(text);
            case BINARY -> bytes(HexFormat.of().parseHex(text, 2, text.length())); // "\x" then hex digits
        }
    }

    private void numericText(String text) {
        switch (text) {
            case "NaN" -> bytes(NUMERIC_NAN);
            case "Infinity" -> bytes(NUMERIC_POS_INF);
            case "-Infinity" -> bytes(NUMERIC_NEG_INF);
            default -> numeric(new BigDecimal(text));
        }
    }

    /**
     * numeric's binary format: digit count, weight (the power of 10,000 of the first digit), sign, display scale,
     * then the digits in base 10,000, the fraction's aligned on the decimal point. Worked out with long arithmetic
     * when the unscaled value allows (pgjdbc's general encoder divides BigIntegers, several times per value).
     */
    private void numeric(BigDecimal d) {
        int scale = d.scale();
        if (scale < 0 || scale > 1000 || d.precision() > 15) {
            bytes(ByteConverter.numeric(d));
            return;
        }
        long unscaled = d.unscaledValue().longValue();
        int pad = (4 - scale % 4) % 4;
        long m = Math.abs(unscaled);
        for (int i = 0; i < pad; i++) {
            m *= 10; // at most 15 digits times 1,000: fits in a long
        }
        short[] groups = new short[5];
        int n = 0;
        while (m != 0) {
            groups[n++] = (short) (m % 10_000);
            m /= 10_000;
        }
        int fractionGroups = (scale + pad) / 4;
        int weight = n == 0 ? 0 : n - 1 - fractionGroups;
        int low = 0;
        while (low < n && groups[low] == 0) {
            low++; // trailing zero digits are not sent
        }
        int digits = n - low;
        ensure(12 + 2 * digits);
        putInt(8 + 2 * digits);
        putShort(digits);
        putShort(weight);
        putShort(unscaled < 0 ? 0x4000 : 0);
        putShort(scale);
        for (int i = n - 1; i >= low; i--) {
            putShort(groups[i]);
        }
    }

    private void putShort(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void date(LocalDate d) {
        long days = d.toEpochDay() - PG_EPOCH_DAYS;
        ensure(8);
        putInt(4);
        putInt(Math.toIntExact(days));
    }

    private void time(LocalTime t) {
        int8((t.toNanoOfDay() + 500) / 1000);
    }

    /** Microseconds since PostgreSQL's epoch, rounded to the nearest as PostgreSQL rounds text input. */
    private static long micros(long epochSecond, int nano) {
        return Math.addExact(Math.multiplyExact(epochSecond - PG_EPOCH_SECONDS, 1_000_000L), (nano + 500) / 1000);
    }

    /** A bigint field. */
    void int8(long v) {
        ensure(12);
        putInt(8);
        putLong(v);
    }

    private void text(String s) {
        bytes(utf8(s));
    }

    /** UTF-8 without NUL characters, which PostgreSQL text cannot hold (the text format drops them too). */
    private static byte[] utf8(String s) {
        if (s.indexOf('\0') >= 0) {
            s = s.replace("\0", "");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void bytes(byte[] b) {
        ensure(4 + b.length);
        putInt(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void putInt(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
