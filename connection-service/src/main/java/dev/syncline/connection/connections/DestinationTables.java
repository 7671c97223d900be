package dev.syncline.connection.connections;

import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Which connection writes each table of a destination (table {@code destination_table}, one row per table, its primary
 * key the destination and the table): a connection claims its tables in the transaction that changes its streams, so
 * the database, not a check before the insert, keeps one table to one connection. Two concurrent claims of one table:
 * PostgreSQL makes the second {@code insert ... on conflict do nothing} wait for the first transaction, then either
 * sees its row (taken: 409) or, when it rolled back, takes the table.
 */
@ApplicationScoped
class DestinationTables {
    /** Rows per statement: well under PostgreSQL's 65535 parameters. */
    private static final int CHUNK = 1000;

    /** A table another connection writes. */
    record Taken(String table, String stream, UUID connectionId, String connectionName) {
        String describe() {
            return "table " + table + " is written by connection " + connectionId + " (" + connectionName + ")";
        }
    }

    /**
     * Makes the connection's claims exactly {@code tables} ({@code namespace.table} → the stream writing it) and
     * returns those another connection holds (they are not the connection's). The connection's row must be persisted.
     */
    Uni<List<Taken>> claim(Connection c, Map<String, String> tables) {
        // one order for every claimer, so two claims of overlapping tables wait for each other instead of deadlocking
        List<Map.Entry<String, String>> rows = new ArrayList<>(new TreeMap<>(tables).entrySet());
        return Panache.getSession().chain(s -> s.flush()
                .chain(() -> release(c.id))
                .chain(() -> {
                    Uni<Void> all = Uni.createFrom().voidItem();
                    for (int from = 0; from < rows.size(); from += CHUNK) {
                        List<Map.Entry<String, String>> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
                        all = all.chain(() -> insert(c, chunk));
                    }
                    return all;
                })
                .chain(() -> taken(c.destinationId, c.id, List.copyOf(tables.keySet()))));
    }

    private Uni<Void> insert(Connection c, List<Map.Entry<String, String>> rows) {
        StringBuilder sql = new StringBuilder("insert into destination_table (destination_id, table_name, connection_id, stream) values ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?1, ?").append(3 + 2 * i).append(", ?2, ?").append(4 + 2 * i).append(')');
        }
        sql.append(" on conflict (destination_id, table_name) do nothing");
        return Panache.getSession().chain(s -> {
            var q = s.createNativeQuery(sql.toString()).setParameter(1, c.destinationId).setParameter(2, c.id);
            for (int i = 0; i < rows.size(); i++) {
                q.setParameter(3 + 2 * i, rows.get(i).getKey()).setParameter(4 + 2 * i, rows.get(i).getValue());
            }
            return q.executeUpdate();
        }).replaceWithVoid();
    }

    /** Of these tables of the destination, those another connection than {@code connectionId} writes. */
    Uni<List<Taken>> taken(UUID destinationId, UUID connectionId, List<String> tables) {
        List<Taken> out = new ArrayList<>();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (int from = 0; from < tables.size(); from += CHUNK) {
            List<String> chunk = tables.subList(from, Math.min(tables.size(), from + CHUNK));
            all = all.chain(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                            "select t.table_name, t.stream, t.connection_id, c.name from destination_table t "
                                    + "join connection c on c.id = t.connection_id where t.destination_id = ?1 "
                                    + "and t.connection_id <> ?2 and t.table_name in (?3) order by t.table_name", Object[].class)
                    .setParameter(1, destinationId).setParameter(2, connectionId).setParameter(3, chunk).getResultList())
                    .invoke(found -> found.forEach(r -> out.add(new Taken((String) r[0], (String) r[1], (UUID) r[2], (String) r[3]))))
                    .replaceWithVoid());
        }
        return all.replaceWith(out);
    }

    /** The connection writes no table any more (it was deleted). */
    Uni<Void> release(UUID connectionId) {
        return Panache.getSession().chain(s -> s.createNativeQuery("delete from destination_table where connection_id = ?1")
                .setParameter(1, connectionId).executeUpdate()).replaceWithVoid();
    }

    /** 409: the tables are another connection's; names each, the stream that would write it, and that connection. */
    static ProblemException conflict(List<Taken> taken, Map<String, String> streamFields) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (Taken t : taken) {
            errors.add(new Problem.FieldError(streamFields.getOrDefault(t.table(), "streams"), t.describe() + ", stream "
                    + t.stream() + "; set another prefix or namespace, give the stream another destinationName, deselect "
                    + "it, or delete that connection"));
        }
        String detail = "a destination table is written by one connection; " + String.join(", ", taken.stream().limit(3)
                .map(t -> t.table() + " is connection " + t.connectionId() + "'s (" + t.connectionName() + ")").toList())
                + (taken.size() > 3 ? " and " + (taken.size() - 3) + " more" : "");
        return new ProblemException(409, "destination-table-taken", "Destination table taken", detail, errors);
    }
}
