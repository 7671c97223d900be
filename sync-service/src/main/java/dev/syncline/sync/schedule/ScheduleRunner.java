package dev.syncline.sync.schedule;

import dev.syncline.events.Schedule;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.schedule.SyncSchedule;
import dev.syncline.sync.connection.ConnectionCopy;
import dev.syncline.sync.job.Jobs;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Fires the schedules of active connections: basic (every N minutes, hours or days, from a daily start time or not) and
 * cron (Quartz syntax, in its time zone, parsed by cron-utils), by the rules connection-service checked them with
 * ({@link SyncSchedule}), on the time {@link ScheduleClock} tells. A new scheduled connection syncs at once, unless its
 * schedule has a start time, which it waits for; after that a job is made for each fire time (one, not a backlog, after
 * downtime). A stored schedule those rules refuse (saved before them) fails one job and pauses the connection.
 * Instances share the work: each connection row is locked while it is looked at, and a fire time makes at most one
 * job.
 */
@ApplicationScoped
public class ScheduleRunner {
    private static final Logger LOG = Logger.getLogger(ScheduleRunner.class);

    @Inject
    Jobs jobs;

    @Inject
    dev.syncline.kit.schedule.SchedulesConfig schedules;

    @Inject
    ScheduleClock clock;

    @Scheduled(every = "${syncline.sync.schedule-tick:1s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                        "select * from connection where status = 'active' and not deleted and has_catalog "
                                + "for update skip locked", ConnectionCopy.class).getResultList())
                .chain(connections -> {
                    Instant now = clock.now();
                    Uni<Void> all = Uni.createFrom().voidItem();
                    for (ConnectionCopy c : connections) {
                        Schedule stored = c.configuration().getSchedule();
                        SyncSchedule schedule = stored == null ? new SyncSchedule("manual", null, null, null, null)
                                : new SyncSchedule(stored.getType(), stored.getBasicUnits(), stored.getBasicTimeUnit(),
                                        stored.getCronExpression(), stored.getCronTimeZone(), stored.getBasicStartTime(),
                                        stored.getBasicTimeZone());
                        List<Problem.FieldError> problems = schedule.problems("schedule.", schedules.subMinute());
                        Optional<Instant> due;
                        if (problems.isEmpty() && c.lastScheduledFor == null && schedule.anchored()) {
                            // a start time: the first sync waits for it; count from the latest start time before now
                            c.lastScheduledFor = OffsetDateTime.ofInstant(schedule.armedAt(now), ZoneOffset.UTC);
                            continue;
                        }
                        try {
                            due = problems.isEmpty() ? schedule.due(c.lastScheduledFor == null ? null
                                    : c.lastScheduledFor.toInstant(), now) : Optional.empty();
                        } catch (RuntimeException e) {
                            problems = List.of(new Problem.FieldError("schedule", String.valueOf(e.getMessage())));
                            due = Optional.empty();
                        }
                        if (!problems.isEmpty()) {
                            String why = String.join("; ", problems.stream().map(p -> p.field() + ": " + p.message()).toList());
                            all = all.chain(() -> jobs.scheduleRefused(c, why).replaceWithVoid());
                            continue;
                        }
                        if (due.isEmpty()) {
                            continue;
                        }
                        Instant fire = due.get();
                        all = all.chain(() -> jobs.scheduled(c.id, fire).invoke(made -> {
                            c.lastScheduledFor = OffsetDateTime.ofInstant(fire, ZoneOffset.UTC);
                            if (made) {
                                LOG.infof("connection %s: scheduled sync for %s", c.id, fire);
                            }
                        }).replaceWithVoid());
                    }
                    return all;
                })).onFailure().invoke(t -> {
                    if (!String.valueOf(t.getMessage()).contains("Pool closed")) { // shutting down
                        LOG.warnf("schedule tick failed: %s", t.getMessage());
                    }
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
