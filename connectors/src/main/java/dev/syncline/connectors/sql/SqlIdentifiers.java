package dev.syncline.connectors.sql;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Turns stream and field names into SQL identifiers (PostgreSQL's rules, which DuckDB accepts too). Names are normalised (lower case, letters,
 * digits and underscores, at most 63 bytes) and always quoted, so no name can inject SQL.
 */
public final class SqlIdentifiers {
    public static final int MAX_LENGTH = 63;

    private SqlIdentifiers() { }

    public static String normalize(String name) {
        String s = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
            s = "_" + s;
        }
        return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) : s;
    }

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."table"}. */
    public static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }
}
