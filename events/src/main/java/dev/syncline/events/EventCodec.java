package dev.syncline.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro binary of the event classes, resolved through this module's own class loader. Consumers read events as
 * generic records and turn them into the generated classes here: the serdes' own lookup of a generated class
 * goes through Avro's class loader, which in a {@code @QuarkusTest} cannot see this module's classes.
 */
public final class EventCodec {
    private EventCodec() { }

    /** The generated class of an event type, e.g. {@code dev.syncline.events.SyncRequested}. */
    @SuppressWarnings("unchecked")
    public static Class<? extends SpecificRecord> eventClass(String fullName) {
        try {
            return (Class<? extends SpecificRecord>) Class.forName(fullName, true, EventCodec.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("not a Syncline event type: " + fullName, e);
        }
    }

    /** The event as its generated class; the record's (writer) schema is resolved against the class's schema. */
    public static SpecificRecord toSpecific(Object value) {
        if (value instanceof SpecificRecord s && s.getClass().getClassLoader() == EventCodec.class.getClassLoader()) {
            return s;
        }
        if (!(value instanceof GenericRecord g)) {
            throw new IllegalArgumentException("not an Avro record: " + (value == null ? "null" : value.getClass().getName()));
        }
        Schema writer = g.getSchema();
        byte[] bytes;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writer).write(g, enc);
            enc.flush();
            bytes = out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return decode(eventClass(writer.getFullName()), writer, bytes);
    }

    /**
     * The event as a generic record (same schema, same data) for the serdes, which then never need to find a
     * generated class themselves.
     */
    public static GenericRecord toGeneric(SpecificRecord event) {
        Schema schema = event.getSchema();
        try {
            return new org.apache.avro.generic.GenericDatumReader<GenericRecord>(schema)
                    .read(null, DecoderFactory.get().binaryDecoder(encode(event), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] encode(SpecificRecord event) {
        // the class's own model carries its logical-type conversions (timestamp-millis as Instant)
        SpecificData model = SpecificData.getForClass(event.getClass());
        var writer = new SpecificDatumWriter<SpecificRecord>(event.getSchema(), model);
        // a RecordsRejected of 500 records is ~200 kB: grown from 256 bytes it would be copied ten times
        ByteArrayOutputStream out = new ByteArrayOutputStream(event instanceof RecordsRejected many
                ? 256 + 512 * many.getRejections().size() : 256);
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(event, enc);
            enc.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decodes bytes written by {@link #encode} with the class's current schema. */
    public static SpecificRecord decode(String fullName, byte[] bytes) {
        Class<? extends SpecificRecord> cls = eventClass(fullName);
        return decode(cls, SpecificData.getForClass(cls).getSchema(cls), bytes);
    }

    private static SpecificRecord decode(Class<? extends SpecificRecord> cls, Schema writer, byte[] bytes) {
        SpecificData model = SpecificData.getForClass(cls);
        Schema reader = model.getSchema(cls);
        try {
            return new SpecificDatumReader<SpecificRecord>(writer, reader, model)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a " + cls.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The {@code eventId} every event carries. */
    public static String eventId(SpecificRecord event) {
        return String.valueOf(event.get(event.getSchema().getField("eventId").pos()));
    }
}
