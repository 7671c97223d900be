package dev.syncline.connectors.spi;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A record value that is JSON text known to be valid (e.g. a PostgreSQL jsonb column): destinations write it as is
 * instead of parsing it again. Serializes as the JSON it holds.
 */
public record JsonText(@JsonValue @JsonRawValue String json) {
    @Override
    public String toString() {
        return json;
    }
}
