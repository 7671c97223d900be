package db.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.syncline.connection.tags.TagNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Tags are one tag per name as Unicode compares names (issue 17): each gets its {@code name_key} (TagNames.key), and
 * the database keeps it unique. Tags that were told apart only by case, width or how an accent was encoded become one:
 * the oldest stays, the connections that carried the others carry it instead (once), and the others are deleted.
 * Java, not SQL: PostgreSQL has NFKC but its lower() folds case by the database's locale, not as Unicode does.
 */
public class V8_13__tag_names_compared_folded extends BaseJavaMigration {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void migrate(Context context) throws Exception {
        merge(context.getConnection());
    }

    /** The migration on {@code db} (its current schema): what the test runs on a schema of its own. */
    public static Map<String, String> merge(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("alter table tag add column name_key text");
        }
        Map<String, String> keeperOfKey = new LinkedHashMap<>();
        Map<String, String> mergedInto = new LinkedHashMap<>(); // tag id -> the tag it became
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("select id::text, name from tag order by created_at, id");
             PreparedStatement key = db.prepareStatement("update tag set name_key = ? where id = ?::uuid")) {
            while (rs.next()) {
                String id = rs.getString(1);
                String k = TagNames.key(rs.getString(2));
                String keeper = keeperOfKey.putIfAbsent(k, id);
                if (keeper != null) {
                    mergedInto.put(id, keeper);
                } else {
                    key.setString(1, k);
                    key.setString(2, id);
                    key.addBatch();
                }
            }
            key.executeBatch();
        }
        if (!mergedInto.isEmpty()) {
            retag(db, mergedInto);
            try (PreparedStatement d = db.prepareStatement("delete from tag where id = ?::uuid")) {
                for (String id : mergedInto.keySet()) {
                    d.setString(1, id);
                    d.addBatch();
                }
                d.executeBatch();
            }
        }
        try (Statement s = db.createStatement()) {
            s.execute("alter table tag alter column name_key set not null");
            s.execute("create unique index tag_name_folded on tag (name_key)");
        }
        return mergedInto;
    }

    /** Each connection's tag ids (a JSON array of strings) with merged tags replaced by their keeper, each once. */
    private static void retag(Connection db, Map<String, String> mergedInto) throws SQLException {
        List<String[]> changed = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("select id::text, tags from connection")) {
            while (rs.next()) {
                String tags = rs.getString(2);
                JsonNode ids;
                try {
                    ids = JSON.readTree(tags == null ? "[]" : tags);
                } catch (Exception e) {
                    throw new SQLException("connection " + rs.getString(1) + " has tags that are not a JSON array: " + tags, e);
                }
                Set<String> now = new LinkedHashSet<>();
                boolean differs = false;
                for (JsonNode t : ids) {
                    String id = mergedInto.getOrDefault(t.asText(), t.asText());
                    differs |= !id.equals(t.asText()) | !now.add(id);
                }
                if (differs) {
                    ArrayNode a = JSON.createArrayNode();
                    now.forEach(a::add);
                    changed.add(new String[] {a.toString(), rs.getString(1)});
                }
            }
        }
        try (PreparedStatement u = db.prepareStatement("update connection set tags = ? where id = ?::uuid")) {
            for (String[] c : changed) {
                u.setString(1, c[0]);
                u.setString(2, c[1]);
                u.addBatch();
            }
            u.executeBatch();
        }
    }
}
