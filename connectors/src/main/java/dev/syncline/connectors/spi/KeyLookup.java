package dev.syncline.connectors.spi;

import java.util.List;
import java.util.Set;

/**
 * For a dry run: which records' matching keys an object already holds, so that a preview can tell an insert from an
 * update without writing. Reads only. One per stream of a preview; close it when done.
 */
public interface KeyLookup extends AutoCloseable {
    /**
     * @param keys each record's matching key values, in the stream's matching-key order
     * @return the indexes (into {@code keys}) of those the object holds
     */
    Set<Integer> existing(List<List<Object>> keys) throws ConnectorException;

    /** The object's other unique keys (each a list of fields), which no two records may share. */
    default List<List<String>> uniqueKeys() {
        return List.of();
    }

    /**
     * Which records' {@code uniqueKey} values the object already holds on another row (one its matching key does not
     * match): writing them would break the constraint.
     *
     * @param uniqueValues   each record's values of {@code uniqueKey}
     * @param matchingValues each record's matching key values (empty lists when the method has none)
     * @return the indexes of the records that would collide
     */
    default Set<Integer> taken(List<String> uniqueKey, List<List<Object>> uniqueValues, List<List<Object>> matchingValues)
            throws ConnectorException {
        return Set.of();
    }

    @Override
    void close();
}
