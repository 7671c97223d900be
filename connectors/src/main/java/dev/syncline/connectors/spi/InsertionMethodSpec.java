package dev.syncline.connectors.spi;

import java.util.List;

/** An insertion method an object supports, and the keys (each a list of field names) it can match records by. */
public record InsertionMethodSpec(InsertionMethod method, List<List<String>> matchingKeys) {
    public InsertionMethodSpec {
        matchingKeys = matchingKeys == null ? List.of() : List.copyOf(matchingKeys);
    }
}
