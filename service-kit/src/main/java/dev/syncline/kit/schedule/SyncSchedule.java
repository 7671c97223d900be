package dev.syncline.kit.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.On;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.syncline.kit.problem.Problem;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connection's schedule and its rules, in one place for the service that accepts it (connection-service) and the
 * one that runs it (sync-service), so that what is accepted is exactly what can run.
 *
 * <p>Rules: a scheduled sync runs at most once a minute (basic schedules count in minutes, hours or days; a cron
 * expression must name a single second, e.g. {@code 0 *}{@code /5 * * * ?}) and at least once a year (bounds per time
 * unit below); a cron expression is Quartz syntax, must fire at least once more, and its time zone must exist. Once a
 * minute is Fivetran's shortest interval (for database connectors; 5 minutes for others), where Airbyte refuses cron
 * expressions more frequent than hourly: a self-hosted Syncline may well sync a small source that often, a sync still
 * running when the next is due leaves one job waiting (never a backlog), and anything more frequent is a continuous
 * (CDC) job's work.
 *
 * <p>{@code subMinute} (configuration {@code syncline.schedules.sub-minute}, false unless a test sets it) also lets
 * schedules run in seconds, so that sync-service's tests of the scheduler need not wait minutes.
 */
public record SyncSchedule(String type, Long basicUnits, String basicTimeUnit, String cronExpression, String cronTimeZone) {
    /** The most units a basic schedule may count, per time unit: one year of them. */
    public static final Map<String, Long> MAX_UNITS = Map.of("minutes", 525_600L, "hours", 8_760L, "days", 365L);
    private static final long MAX_SECONDS = 31_536_000L;

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /**
     * Every problem of this schedule, each naming its field under {@code prefix} (e.g. {@code schedule.}); empty when
     * the schedule can run.
     */
    public List<Problem.FieldError> problems(String prefix, boolean subMinute) {
        List<Problem.FieldError> errors = new ArrayList<>();
        switch (type == null ? "" : type) {
            case "manual" -> { }
            case "basic" -> {
                Long max = subMinute && "seconds".equals(basicTimeUnit) ? Long.valueOf(MAX_SECONDS)
                        : basicTimeUnit == null ? null : MAX_UNITS.get(basicTimeUnit);
                if (max == null) {
                    errors.add(new Problem.FieldError(prefix + "basicTimeUnit", "a basic schedule needs minutes, hours or days"));
                }
                if (basicUnits == null || basicUnits < 1) {
                    errors.add(new Problem.FieldError(prefix + "basicUnits", "a basic schedule needs a positive whole number of "
                            + "units"));
                } else if (max != null && basicUnits > max) {
                    errors.add(new Problem.FieldError(prefix + "basicUnits", "at most " + max + " " + basicTimeUnit
                            + " (a scheduled sync runs at least once a year); use a manual schedule to sync only on demand"));
                }
            }
            case "cron" -> {
                ZoneId zone = ZoneOffset.UTC;
                if (cronTimeZone != null) {
                    try {
                        zone = ZoneId.of(cronTimeZone);
                    } catch (DateTimeException e) {
                        errors.add(new Problem.FieldError(prefix + "cronTimeZone", "unknown time zone " + cronTimeZone));
                    }
                }
                if (cronExpression == null || cronExpression.isBlank()) {
                    errors.add(new Problem.FieldError(prefix + "cronExpression", "a cron schedule needs an expression"));
                } else {
                    cronProblem(zone, subMinute).ifPresent(m -> errors.add(new Problem.FieldError(prefix + "cronExpression", m)));
                }
            }
            default -> errors.add(new Problem.FieldError(prefix + "scheduleType", "must be one of manual, basic, cron"));
        }
        return errors;
    }

    private Optional<String> cronProblem(ZoneId zone, boolean subMinute) {
        Cron cron;
        try {
            cron = QUARTZ.parse(cronExpression).validate();
        } catch (IllegalArgumentException e) {
            return Optional.of("not a valid Quartz cron expression: " + e.getMessage());
        }
        // one second of the minute: at most one sync a minute, whatever the other fields say
        if (!subMinute && !(cron.retrieve(CronFieldName.SECOND).getExpression() instanceof On)) {
            return Optional.of("'" + cronExpression + "' fires more than once a minute; a scheduled sync runs at most once "
                    + "a minute: give a single second, e.g. 0 */5 * * * ? (every five minutes)");
        }
        if (ExecutionTime.forCron(cron).nextExecution(ZonedDateTime.now(zone)).isEmpty()) {
            return Optional.of("'" + cronExpression + "' never fires again");
        }
        return Optional.empty();
    }

    /**
     * The fire time a job is due for now, if any: now for a schedule that never fired; else the latest fire time after
     * the last one that is not in the future (one job after a downtime, not a backlog). Only for a schedule without
     * {@link #problems}.
     */
    public Optional<Instant> due(Instant last, Instant now) {
        if ("manual".equals(type)) {
            return Optional.empty();
        }
        if (last == null) {
            return Optional.of(now.truncatedTo(ChronoUnit.MILLIS));
        }
        return switch (type) {
            case "basic" -> {
                Duration every = interval();
                long periods = Duration.between(last, now).toMillis() / every.toMillis();
                yield periods >= 1 ? Optional.of(last.plus(every.multipliedBy(periods))) : Optional.empty();
            }
            case "cron" -> {
                ExecutionTime cron = ExecutionTime.forCron(QUARTZ.parse(cronExpression));
                ZoneId zone = cronTimeZone == null ? ZoneOffset.UTC : ZoneId.of(cronTimeZone);
                ZonedDateTime nowZ = now.atZone(zone);
                Optional<ZonedDateTime> next = cron.nextExecution(last.atZone(zone));
                if (next.isEmpty() || next.get().isAfter(nowZ)) {
                    yield Optional.empty();
                }
                Optional<ZonedDateTime> latest = cron.lastExecution(nowZ.plusNanos(1));
                yield Optional.of(latest.orElse(next.get()).toInstant());
            }
            default -> Optional.empty();
        };
    }

    /**
     * The next {@code n} times this schedule will start a sync after {@code now}, given the last one ({@code last}, null
     * for none yet: a scheduled connection's first sync starts as soon as it is saved, then counts from there); empty
     * for a manual schedule. Only for a schedule without {@link #problems}.
     */
    public List<Instant> next(Instant last, Instant now, int n) {
        List<Instant> out = new ArrayList<>();
        switch (type) {
            case "basic" -> {
                Duration every = interval();
                Instant t = last == null ? now : last.plus(every);
                if (t.isBefore(now)) {
                    t = now; // overdue: one sync now, not a backlog
                }
                for (int i = 0; i < n; i++) {
                    out.add(t.truncatedTo(ChronoUnit.SECONDS));
                    t = t.plus(every);
                }
            }
            case "cron" -> {
                ExecutionTime cron = ExecutionTime.forCron(QUARTZ.parse(cronExpression));
                ZonedDateTime t = now.atZone(cronTimeZone == null ? ZoneOffset.UTC : ZoneId.of(cronTimeZone));
                for (int i = 0; i < n; i++) {
                    Optional<ZonedDateTime> next = cron.nextExecution(t);
                    if (next.isEmpty()) {
                        break;
                    }
                    t = next.get();
                    out.add(t.toInstant());
                }
            }
            default -> { }
        }
        return out;
    }

    /** A basic schedule's interval. */
    public Duration interval() {
        return switch (basicTimeUnit) {
            case "seconds" -> Duration.ofSeconds(basicUnits);
            case "minutes" -> Duration.ofMinutes(basicUnits);
            case "days" -> Duration.ofDays(basicUnits);
            default -> Duration.ofHours(basicUnits);
        };
    }
}
