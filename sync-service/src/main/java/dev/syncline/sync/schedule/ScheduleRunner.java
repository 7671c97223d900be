package dev.syncline.sync.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.syncline.events.Schedule;
import dev.syncline.sync.connection.ConnectionCopy;
import dev.syncline.sync.job.Jobs;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Fires the schedules of active connections: basic (every N minutes, hours or days) and cron (Quartz syntax, in its
 * time zone, parsed by cron-utils). A new scheduled connection syncs at once; after that a job is made for each fire
 * time (one, not a backlog, after downtime). Instances share the work: each connection row is locked while it is
 * looked at, and a fire time makes at most one job.
 */
@ApplicationScoped
public class ScheduleRunner {
    private static final Logger LOG = Logger.getLogger(ScheduleRunner.class);
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    @Inject
    Jobs jobs;

    @Scheduled(every = "${syncline.sync.schedule-tick:1s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                        "select * from connection where status = 'active' and not deleted and has_catalog "
                                + "for update skip locked", ConnectionCopy.class).getResultList())
                .chain(connections -> {
                    Instant now = Instant.now();
                    Uni<Void> all = Uni.createFrom().voidItem();
                    for (ConnectionCopy c : connections) {
                        Optional<Instant> due;
                        try {
                            due = due(c.configuration().getSchedule(), c.lastScheduledFor == null ? null
                                    : c.lastScheduledFor.toInstant(), now);
                        } catch (RuntimeException e) {
                            LOG.warnf("connection %s: schedule not understood (%s)", c.id, e.getMessage());
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

    /**
     * The fire time a job is due for now, if any: now for a schedule that never fired; else the latest fire time
     * after the last one that is not in the future.
     */
    static Optional<Instant> due(Schedule s, Instant last, Instant now) {
        if (s == null || "manual".equals(s.getType())) {
            return Optional.empty();
        }
        if (last == null) {
            return Optional.of(now.truncatedTo(ChronoUnit.MILLIS));
        }
        return switch (s.getType()) {
            case "basic" -> {
                Duration every = interval(s);
                long periods = Duration.between(last, now).toMillis() / every.toMillis();
                yield periods >= 1 ? Optional.of(last.plus(every.multipliedBy(periods))) : Optional.empty();
            }
            case "cron" -> {
                ExecutionTime cron = ExecutionTime.forCron(QUARTZ.parse(s.getCronExpression()));
                ZoneId zone = s.getCronTimeZone() == null ? ZoneOffset.UTC : ZoneId.of(s.getCronTimeZone());
                ZonedDateTime nowZ = now.atZone(zone);
                Optional<ZonedDateTime> next = cron.nextExecution(last.atZone(zone));
                if (next.isEmpty() || next.get().isAfter(nowZ)) {
                    yield Optional.empty();
                }
                // the latest fire time not after now: one job, not a backlog
                Optional<ZonedDateTime> latest = cron.lastExecution(nowZ.plusNanos(1));
                yield Optional.of(latest.orElse(next.get()).toInstant());
            }
            default -> Optional.empty();
        };
    }

    static Duration interval(Schedule s) {
        long units = s.getBasicUnits() == null ? 24 : s.getBasicUnits();
        String unit = s.getBasicTimeUnit() == null ? "hours" : s.getBasicTimeUnit();
        return switch (unit) {
            case "minutes" -> Duration.ofMinutes(units);
            case "days" -> Duration.ofDays(units);
            case "seconds" -> Duration.ofSeconds(units);
            default -> Duration.ofHours(units);
        };
    }
}
