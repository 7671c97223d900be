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
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
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
 * <p>A basic schedule may name a daily start time ({@code basicStartTime}, {@code HH:mm}) in a time zone
 * ({@code basicTimeZone}, IANA, UTC by default): "every 6 hours from 02:00 Europe/Berlin" runs at 02:00, 08:00, 14:00 and
 * 20:00 Berlin time every day, whatever the offset that day. Each local day starts again at the start time, so nothing
 * drifts: an interval that does not divide a day (every 5 hours from 02:00: 02, 07, 12, 17, 22) leaves a shorter last
 * gap before the next day's start. An interval of a day or more must then be whole days, and runs at the start time
 * every N days counted from its first run. Such a schedule's first sync waits for its first start time (the user can
 * still sync now), where a basic schedule without a start time syncs at once when saved. Either way, basic intervals
 * count start to start (from the time a sync was due, not from when the last one ended), so they do not drift either.
 *
 * <p>{@code subMinute} (configuration {@code syncline.schedules.sub-minute}, false unless a test sets it) also lets
 * schedules run in seconds, so that sync-service's tests of the scheduler need not wait minutes.
 */
public record SyncSchedule(String type, Long basicUnits, String basicTimeUnit, String cronExpression, String cronTimeZone,
                           String basicStartTime, String basicTimeZone) {
    /** The most units a basic schedule may count, per time unit: one year of them. */
    public static final Map<String, Long> MAX_UNITS = Map.of("minutes", 525_600L, "hours", 8_760L, "days", 365L);
    private static final long MAX_SECONDS = 31_536_000L;

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    private static final java.util.regex.Pattern TIME_OF_DAY = java.util.regex.Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final Duration DAY = Duration.ofDays(1);

    /** A schedule without a start time. */
    public SyncSchedule(String type, Long basicUnits, String basicTimeUnit, String cronExpression, String cronTimeZone) {
        this(type, basicUnits, basicTimeUnit, cronExpression, cronTimeZone, null, null);
    }

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
                } else if (max != null && basicStartTime != null && interval().compareTo(DAY) > 0
                        && !interval().equals(Duration.ofDays(interval().toDays()))) {
                    errors.add(new Problem.FieldError(prefix + "basicUnits", "with a start time, an interval longer than a "
                            + "day must be whole days (e.g. 48 hours, not 30): it runs at the start time every N days"));
                }
                if (basicStartTime != null && !TIME_OF_DAY.matcher(basicStartTime).matches()) {
                    errors.add(new Problem.FieldError(prefix + "basicStartTime", "a time of day as HH:mm, from 00:00 to "
                            + "23:59, e.g. 02:00"));
                }
                if (basicTimeZone != null) {
                    if (basicStartTime == null) {
                        errors.add(new Problem.FieldError(prefix + "basicTimeZone", "a time zone goes with a start time "
                                + "(basicStartTime): without one, a basic schedule counts from its first sync"));
                    } else {
                        try {
                            ZoneId.of(basicTimeZone);
                        } catch (DateTimeException e) {
                            errors.add(new Problem.FieldError(prefix + "basicTimeZone", "unknown time zone " + basicTimeZone));
                        }
                    }
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
        if (!"basic".equals(type)) {
            if (basicStartTime != null) {
                errors.add(new Problem.FieldError(prefix + "basicStartTime", "only a basic schedule takes a start time"));
            }
            if (basicTimeZone != null) {
                errors.add(new Problem.FieldError(prefix + "basicTimeZone", "only a basic schedule takes this time zone "
                        + "(a cron schedule's is cronTimeZone)"));
            }
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
            return anchored() ? Optional.empty() : Optional.of(now.truncatedTo(ChronoUnit.MILLIS));
        }
        if (anchored()) {
            if (interval().compareTo(DAY) < 0) {
                Instant latest = floor(now);
                return latest.isAfter(last) ? Optional.of(latest) : Optional.empty();
            }
            Instant next = after(last);
            if (next.isAfter(now)) {
                return Optional.empty();
            }
            while (!after(next).isAfter(now)) {
                next = after(next);
            }
            return Optional.of(next);
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
        if (anchored()) {
            Instant from = last == null ? armedAt(now) : last;
            Optional<Instant> missed = last == null ? Optional.empty() : due(last, now);
            if (missed.isPresent()) {
                out.add(now.truncatedTo(ChronoUnit.SECONDS)); // overdue: one sync now, counting on from the missed time
                from = missed.get();
            }
            while (out.size() < n) {
                from = after(from);
                out.add(from);
            }
            return out;
        }
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

    /** Whether this is a basic schedule with a start time, whose first sync waits for it ({@link #armedAt}). */
    public boolean anchored() {
        return "basic".equals(type) && basicStartTime != null;
    }

    /**
     * For a schedule with a start time that has not run yet: what to keep as its last fire time when it is saved at
     * {@code now}, so that {@link #due} fires first at its next start time, not at once: the latest fire time not after
     * now (a day or more: the next start time, less the interval).
     */
    public Instant armedAt(Instant now) {
        if (interval().compareTo(DAY) < 0) {
            return floor(now);
        }
        ZoneId zone = basicZone();
        LocalTime start = LocalTime.parse(basicStartTime);
        ZonedDateTime next = ZonedDateTime.of(now.atZone(zone).toLocalDate(), start, zone);
        if (!next.toInstant().isAfter(now)) {
            next = ZonedDateTime.of(next.toLocalDate().plusDays(1), start, zone);
        }
        return ZonedDateTime.of(next.toLocalDate().minusDays(interval().toDays()), start, zone).toInstant();
    }

    /** A schedule with a start time: the first fire time after {@code t}, {@code t} being one (or the armed time). */
    private Instant after(Instant t) {
        ZoneId zone = basicZone();
        LocalTime start = LocalTime.parse(basicStartTime);
        Duration every = interval();
        if (every.compareTo(DAY) >= 0) {
            return ZonedDateTime.of(t.atZone(zone).toLocalDate().plusDays(every.toDays()), start, zone).toInstant();
        }
        LocalDate today = t.atZone(zone).toLocalDate();
        for (LocalDate d = today.minusDays(1); ; d = d.plusDays(1)) {
            // from the day's first: a time moved forward out of a daylight-saving gap may come after later ones' wall time
            for (long k = 0; k < firesPerDay(); k++) {
                Instant f = fire(d, k);
                if (f.isAfter(t)) {
                    return f;
                }
            }
        }
    }

    /** A schedule with a start time, an interval under a day: the latest fire time not after {@code t}. */
    private Instant floor(Instant t) {
        ZoneId zone = basicZone();
        LocalTime start = LocalTime.parse(basicStartTime);
        LocalDate today = t.atZone(zone).toLocalDate();
        for (LocalDate d = today.plusDays(1); !d.isBefore(today.minusDays(2)); d = d.minusDays(1)) {
            long k = Math.min(firesPerDay() - 1, Math.max(0, Duration.between(LocalDateTime.of(d, start),
                    t.atZone(zone).toLocalDateTime()).toMillis() / interval().toMillis() + 1));
            for (; k >= 0; k--) {
                Instant f = fire(d, k);
                if (!f.isAfter(t)) {
                    return f;
                }
            }
        }
        throw new IllegalStateException("no start time in three days before " + t);
    }

    /**
     * The {@code k}th fire time of local day {@code d}: the start time plus k intervals of wall-clock time, so the day's
     * times stay the same when the zone's offset changes; a time in a gap moves forward by the gap (02:00 on the night
     * clocks go from 02:00 to 03:00 is 03:00).
     */
    private Instant fire(LocalDate d, long k) {
        return LocalDateTime.of(d, LocalTime.parse(basicStartTime)).plus(interval().multipliedBy(k))
                .atZone(basicZone()).toInstant();
    }

    /** How many times a schedule with a start time fires in one local day (interval under a day). */
    private long firesPerDay() {
        return (DAY.toMillis() - 1) / interval().toMillis() + 1;
    }

    private ZoneId basicZone() {
        return basicTimeZone == null ? ZoneOffset.UTC : ZoneId.of(basicTimeZone);
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
