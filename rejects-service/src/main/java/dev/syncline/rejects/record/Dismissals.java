package dev.syncline.rejects.record;

import dev.syncline.events.RejectedRecordsDismissed;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Dismissing: the records' status and, in the same transaction, RejectedRecordsDismissed through the outbox, so
 * sync-service stops offering them to the destination.
 */
@ApplicationScoped
public class Dismissals {
    private static final int KEYS_PER_EVENT = 1000;

    @Inject
    Outbox outbox;

    /** Dismisses the open or retrying records matching {@code filter} (only record {@code id} when given); returns how many. */
    public Uni<Long> dismiss(RejectedRecordFilter filter, Long id) {
        List<Object> params = new ArrayList<>();
        // Hibernate's native queries number their parameters ?1, ?2, ...
        String where = filter.where(params, "?");
        if (id != null) {
            params.add(id);
            where += " and id = ?" + params.size();
        }
        String sql = "select cast(id as text), stream_namespace, stream, retry_key from rejected_record where "
                + where + " and status in ('open', 'retrying')";
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> {
            var q = s.createNativeQuery(sql, Object[].class);
            for (int i = 0; i < params.size(); i++) {
                q.setParameter(i + 1, params.get(i));
            }
            return q.getResultList();
        }).chain(rows -> {
            if (rows.isEmpty()) {
                return Uni.createFrom().item(0L);
            }
            Map<String, List<String>> keysByStream = new LinkedHashMap<>();
            Map<String, String[]> names = new LinkedHashMap<>();
            List<Long> ids = new ArrayList<>();
            for (Object[] r : rows) {
                ids.add(Long.parseLong((String) r[0]));
                String stream = r[1] == null ? (String) r[2] : r[1] + "." + r[2];
                names.putIfAbsent(stream, new String[] {(String) r[1], (String) r[2]});
                keysByStream.computeIfAbsent(stream, k -> new ArrayList<>()).add((String) r[3]);
            }
            Uni<Void> all = Uni.createFrom().voidItem();
            for (int i = 0; i < ids.size(); i += 1000) {
                List<Long> chunk = ids.subList(i, Math.min(ids.size(), i + 1000));
                all = all.chain(() -> Panache.getSession().chain(s -> s.createNativeQuery("update rejected_record set "
                                + "status = 'dismissed', status_changed_at = now() where id in (:ids)")
                        .setParameter("ids", chunk).executeUpdate()).replaceWithVoid());
            }
            for (var e : keysByStream.entrySet()) {
                List<String> keys = e.getValue();
                for (int i = 0; i < keys.size(); i += KEYS_PER_EVENT) {
                    RejectedRecordsDismissed d = new RejectedRecordsDismissed();
                    d.setEventId(UUID.randomUUID().toString());
                    d.setOccurredAt(Instant.now());
                    d.setConnectionId(filter.connectionId().toString());
                    d.setStreamNamespace(names.get(e.getKey())[0]);
                    d.setStream(names.get(e.getKey())[1]);
                    d.setRecordKeys(List.copyOf(keys.subList(i, Math.min(keys.size(), i + KEYS_PER_EVENT))));
                    all = all.chain(() -> outbox.publish(Topics.REJECTS_EVENTS, d.getConnectionId(), d));
                }
            }
            return all.replaceWith((long) ids.size());
        }));
    }
}
