package dev.syncline.kit.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.kit.problem.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule rules connection-service accepts by and sync-service runs by: at most once a minute, at least once a year. */
class SyncScheduleTest {
    static SyncSchedule cron(String expression) {
        return new SyncSchedule("cron", null, null, expression, "Europe/Paris");
    }

    static SyncSchedule basic(long units, String unit) {
        return new SyncSchedule("basic", units, unit, null, null);
    }

    static List<String> fields(SyncSchedule s) {
        return s.problems("schedule.", false).stream().map(Problem.FieldError::field).toList();
    }

    @Test
    void refusesCronExpressionsFiringMoreThanOnceAMinute() {
        for (String everySecond : new String[] {"*/1 * * * * ?", "* * * * * ?", "0/30 * * * * ?", "0,30 * * * * ?",
                "0-5 * * * * ?", "*/1 0 6 * * ?"}) {
            List<Problem.FieldError> problems = cron(everySecond).problems("schedule.", false);
            assertThat(problems).as(everySecond).singleElement().satisfies(p -> {
                assertThat(p.field()).isEqualTo("schedule.cronExpression");
                assertThat(p.message()).contains("more than once a minute").contains("0 */5 * * * ?");
            });
        }
    }

    @Test
    void acceptsCronExpressionsNamingOneSecond() {
        for (String ok : new String[] {"0 * * * * ?", "0 */5 * * * ?", "30 0 6 * * ?", "0 0 6 ? * MON-FRI", "0 0 0 1 1 ? 2099"}) {
            assertThat(cron(ok).problems("schedule.", false)).as(ok).isEmpty();
        }
    }

    @Test
    void refusesCronExpressionsThatAreMalformedOrNeverFireAgain() {
        assertThat(cron("nope").problems("schedule.", false)).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("not a valid Quartz cron expression"));
        assertThat(cron("0 0 0 1 1 ? 2001").problems("schedule.", false)).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("never fires again"));
        assertThat(fields(new SyncSchedule("cron", null, null, " ", "Mars/Olympus"))).containsExactlyInAnyOrder(
                "schedule.cronExpression", "schedule.cronTimeZone");
    }

    @Test
    void boundsBasicUnitsPerTimeUnit() {
        assertThat(basic(1, "minutes").problems("schedule.", false)).isEmpty();
        assertThat(basic(525_600, "minutes").problems("schedule.", false)).isEmpty();
        assertThat(basic(8_760, "hours").problems("schedule.", false)).isEmpty();
        assertThat(basic(365, "days").problems("schedule.", false)).isEmpty();
        assertThat(basic(525_601, "minutes").problems("schedule.", false)).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("at most 525600 minutes"));
        assertThat(fields(basic(8_761, "hours"))).containsExactly("schedule.basicUnits");
        assertThat(fields(basic(Long.MAX_VALUE, "days"))).containsExactly("schedule.basicUnits");
        assertThat(fields(basic(0, "days"))).containsExactly("schedule.basicUnits");
        assertThat(fields(basic(-1, "minutes"))).containsExactly("schedule.basicUnits");
        assertThat(fields(basic(5, "seconds"))).containsExactly("schedule.basicTimeUnit");
        assertThat(fields(new SyncSchedule("basic", null, null, null, null)))
                .containsExactlyInAnyOrder("schedule.basicUnits", "schedule.basicTimeUnit");
        assertThat(fields(new SyncSchedule("hourly", null, null, null, null))).containsExactly("schedule.scheduleType");
        assertThat(new SyncSchedule("manual", null, null, null, null).problems("schedule.", false)).isEmpty();
    }

    @Test
    void schedulesInSecondsOnlyWhereATestAllowsThem() {
        assertThat(cron("*/2 * * * * ?").problems("schedule.", true)).isEmpty();
        assertThat(basic(3, "seconds").problems("schedule.", true)).isEmpty();
        assertThat(basic(3, "seconds").interval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(basic(31_536_001, "seconds").problems("schedule.", true)).singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("schedule.basicUnits"));
    }

    @Test
    void dueFiresOnceAfterDowntimeNotABacklog() {
        Instant last = Instant.parse("2026-01-01T00:00:00Z");
        SyncSchedule every15 = basic(15, "minutes");
        assertThat(every15.due(null, last)).contains(last);
        assertThat(every15.due(last, last.plus(Duration.ofMinutes(14)))).isEmpty();
        assertThat(every15.due(last, last.plus(Duration.ofMinutes(50)))).contains(last.plus(Duration.ofMinutes(45)));
        SyncSchedule atSix = new SyncSchedule("cron", null, null, "0 0 6 * * ?", "UTC");
        assertThat(atSix.due(last, last.plus(Duration.ofHours(5)))).isEmpty();
        assertThat(atSix.due(last, Instant.parse("2026-01-03T07:00:00Z"))).contains(Instant.parse("2026-01-03T06:00:00Z"));
        assertThat(new SyncSchedule("manual", null, null, null, null).due(last, last.plus(Duration.ofDays(400)))).isEmpty();
    }
}
