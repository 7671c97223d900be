package dev.syncline.kit.outbox;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/**
 * The outbox channel's Avro datum provider: an {@link EncodedEvent} is written as its bytes (they are the event's
 * binary encoding with exactly the schema the serializer registers or looks up), anything else as Apicurio's default
 * provider writes it. Set as {@code apicurio.registry.avro-datum-provider} on the outgoing {@code outbox} channel.
 */
public class OutboxDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    @Override
    public Schema toSchema(T data) {
        return data instanceof EncodedEvent e ? e.schema() : super.toSchema(data);
    }

    @Override
    @SuppressWarnings("unchecked")
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        if (data instanceof EncodedEvent) {
            return (DatumWriter<T>) RAW;
        }
        return super.createDatumWriter(data, schema);
    }

    private static final DatumWriter<EncodedEvent> RAW = new DatumWriter<>() {
        @Override
        public void setSchema(Schema schema) {
            // the bytes carry their own encoding
        }

        @Override
        public void write(EncodedEvent datum, Encoder out) throws IOException {
            out.writeFixed(datum.bytes()); // raw: no length prefix, exactly the encoded record
        }
    };
}
