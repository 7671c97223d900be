package dev.syncline.kit.outbox;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;

/**
 * An outbox payload as it is stored: the event already in Avro binary, with the schema it was written with. The relay
 * hands it to the serializer as it is ({@link OutboxDatumProvider} writes the bytes unchanged after the registry's
 * header) instead of decoding it into a record only for the serializer to encode it again.
 */
public record EncodedEvent(Schema schema, byte[] bytes) implements GenericContainer {
    @Override
    public Schema getSchema() {
        return schema;
    }
}
