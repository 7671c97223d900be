package dev.syncline.rejects.record;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import org.jboss.logging.Logger;

/** Purges rejected records older than the retention, at start and then every purge interval. */
@ApplicationScoped
public class Retention {
    private static final Logger LOG = Logger.getLogger(Retention.class);

    @Inject
    Pool db;

    @Inject
    Vertx vertx;

    @Inject
    RetentionConfig config;

    private long timer = -1;

    void start(@Observes StartupEvent e) {
        timer = vertx.setPeriodic(Math.max(1000, config.purgeInterval().toMillis()), id -> purge().subscribe().with(n -> { },
                t -> LOG.warnf("purging rejected records failed (tried again later): %s", t.getMessage())));
    }

    void stop(@Observes ShutdownEvent e) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Deletes what is older than the retention; returns how many. */
    public Uni<Integer> purge() {
        OffsetDateTime before = OffsetDateTime.now().minusDays(config.retentionDays());
        return db.preparedQuery("delete from rejected_record where rejected_at < $1").execute(Tuple.of(before))
                .map(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("purged %d rejected records older than %d days", rows.rowCount(), config.retentionDays());
                    }
                    return rows.rowCount();
                });
    }
}
