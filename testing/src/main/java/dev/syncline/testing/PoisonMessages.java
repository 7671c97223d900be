package dev.syncline.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Messages no consumer can apply: bytes that are not Avro, Avro framed with a schema id the registry never issued,
 * and valid Avro of a topic's own event type whose values are impossible (ids that are not ids, negative counts).
 */
public final class PoisonMessages {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private PoisonMessages() { }

    public static byte[] notAvro() {
        return "not avro at all: {\"eventId\": 1}".getBytes(StandardCharsets.UTF_8);
    }

    /** Apicurio's wire format (magic byte 0, a 4-byte schema id) with an id no schema has, then some bytes. */
    public static byte[] unknownSchemaId() {
        return ByteBuffer.allocate(13).put((byte) 0).putInt(0x7FFF_FFF0).put("garbage!".getBytes(StandardCharsets.US_ASCII))
                .array();
    }

    /**
     * A record of {@code schema} whose every string is an id that is not a UUID, every number -1, every array and map
     * one impossible element: it serializes and deserializes, and no consumer can apply it.
     */
    public static GenericRecord impossible(Schema schema) {
        return (GenericRecord) value(schema, schema.getName());
    }

    private static Object value(Schema s, String field) {
        return switch (s.getType()) {
            case RECORD -> {
                GenericData.Record r = new GenericData.Record(s);
                for (Schema.Field f : s.getFields()) {
                    r.put(f.name(), value(f.schema(), f.name()));
                }
                yield r;
            }
            case STRING -> "not-a-uuid-" + field + "-" + SEQUENCE.incrementAndGet();
            case INT -> -1;
            case LONG -> s.getLogicalType() != null ? 0L : -1L; // a timestamp: the epoch
            case FLOAT -> -1f;
            case DOUBLE -> Double.NaN;
            case BOOLEAN -> Boolean.FALSE;
            case BYTES -> ByteBuffer.wrap(new byte[] {1, 2, 3});
            case FIXED -> new GenericData.Fixed(s, new byte[s.getFixedSize()]);
            case ENUM -> new GenericData.EnumSymbol(s, s.getEnumSymbols().getFirst());
            case ARRAY -> {
                List<Object> one = new ArrayList<>();
                one.add(value(s.getElementType(), field));
                yield new GenericData.Array<>(s, one);
            }
            case MAP -> {
                Map<String, Object> one = new HashMap<>();
                one.put("not-a-key", value(s.getValueType(), field));
                yield one;
            }
            case UNION -> {
                // the first branch that is not null: an impossible value rather than an absent one
                Schema branch = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst()
                        .orElse(s.getTypes().getFirst());
                yield value(branch, field);
            }
            case NULL -> null;
        };
    }
}
