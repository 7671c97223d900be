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

    static SyncSchedule from(long units, String unit, String start, String zone) {
        return new SyncSchedule("basic", units, unit, null, null, start, zone);
    }

    static Instant berlin(String local) {
        return java.time.LocalDateTime.parse(local).atZone(java.time.ZoneId.of("Europe/Berlin")).toInstant();
    }

    @Test
    void everySixHoursFromTwoInBerlinKeepsItsLocalTimesAcrossADaylightSavingChange() {
        SyncSchedule s = from(6, "hours", "02:00", "Europe/Berlin");
        assertThat(s.problems("schedule.", false)).isEmpty();
        assertThat(s.anchored()).isTrue();
        // saved at 16:40 on the Saturday before summer time starts (Sunday 28 March 2027, 02:00 -> 03:00)
        Instant saved = berlin("2027-03-27T16:40:00");
        assertThat(s.due(null, saved)).as("the first sync waits for a start time").isEmpty();
        Instant armed = s.armedAt(saved);
        assertThat(armed).isEqualTo(berlin("2027-03-27T14:00:00"));
        assertThat(s.next(null, saved, 5)).containsExactly(berlin("2027-03-27T20:00:00"), berlin("2027-03-28T03:00:00"),
                berlin("2027-03-28T08:00:00"), berlin("2027-03-28T14:00:00"), berlin("2027-03-28T20:00:00"));
        // a clock moved forward: each tick fires the latest start time not yet fired, once
        assertThat(s.due(armed, berlin("2027-03-27T19:59:59"))).isEmpty();
        assertThat(s.due(armed, berlin("2027-03-27T20:00:00"))).contains(berlin("2027-03-27T20:00:00"));
        Instant last = berlin("2027-03-27T20:00:00");
        assertThat(s.due(last, berlin("2027-03-27T20:00:01"))).isEmpty();
        // 02:00 does not exist that night: the start time is the first instant after the gap, and the day goes on at 08:00
        assertThat(s.due(last, berlin("2027-03-28T03:00:00"))).contains(berlin("2027-03-28T03:00:00"));
        assertThat(s.due(berlin("2027-03-28T03:00:00"), berlin("2027-03-28T07:59:00"))).isEmpty();
        // after a downtime: one sync for the latest missed time, not a backlog
        assertThat(s.due(last, berlin("2027-03-29T15:00:00"))).contains(berlin("2027-03-29T14:00:00"));
        assertThat(s.next(last, berlin("2027-03-29T15:00:00"), 3)).containsExactly(
                berlin("2027-03-29T15:00:00"), berlin("2027-03-29T20:00:00"), berlin("2027-03-30T02:00:00"));
    }

    @Test
    void everyFifteenMinutesAcrossTheSkippedHourMissesNoTime() {
        SyncSchedule s = from(15, "minutes", "00:00", "Europe/Berlin");
        // 02:00-03:00 does not exist on 28 March 2027: 02:15 is 03:15, and so on; each instant comes once
        assertThat(s.next(berlin("2027-03-28T01:50:00"), berlin("2027-03-28T01:50:00"), 6)).containsExactly(
                berlin("2027-03-28T03:00:00"), berlin("2027-03-28T03:15:00"), berlin("2027-03-28T03:30:00"),
                berlin("2027-03-28T03:45:00"), berlin("2027-03-28T04:00:00"), berlin("2027-03-28T04:15:00"));
    }

    @Test
    void anIntervalThatDoesNotDivideADayStartsAgainAtTheStartTimeEachDay() {
        SyncSchedule s = from(5, "hours", "02:00", "UTC");
        assertThat(s.next(null, Instant.parse("2027-01-01T00:30:00Z"), 7)).containsExactly(
                Instant.parse("2027-01-01T02:00:00Z"), Instant.parse("2027-01-01T07:00:00Z"),
                Instant.parse("2027-01-01T12:00:00Z"), Instant.parse("2027-01-01T17:00:00Z"),
                Instant.parse("2027-01-01T22:00:00Z"), Instant.parse("2027-01-02T02:00:00Z"),
                Instant.parse("2027-01-02T07:00:00Z"));
        assertThat(s.due(Instant.parse("2027-01-01T22:00:00Z"), Instant.parse("2027-01-02T01:59:00Z"))).isEmpty();
    }

    @Test
    void everyTwoDaysAtASixCountsDaysFromItsFirstRun() {
        SyncSchedule s = from(2, "days", "06:00", "America/New_York");
        java.time.ZoneId ny = java.time.ZoneId.of("America/New_York");
        Instant saved = java.time.LocalDateTime.parse("2027-06-01T09:00:00").atZone(ny).toInstant();
        Instant armed = s.armedAt(saved);
        Instant first = java.time.LocalDateTime.parse("2027-06-02T06:00:00").atZone(ny).toInstant();
        Instant third = java.time.LocalDateTime.parse("2027-06-06T06:00:00").atZone(ny).toInstant();
        assertThat(s.due(armed, first.minusSeconds(1))).isEmpty();
        assertThat(s.due(armed, first)).contains(first);
        assertThat(s.due(first, first.plus(Duration.ofDays(1)))).isEmpty();
        assertThat(s.due(first, third.plusSeconds(60))).contains(third);
        assertThat(s.next(null, saved, 3)).containsExactly(first, first.plus(Duration.ofDays(2)), third);
        // 30 hours cannot keep a start time; 48 can
        assertThat(fields(from(30, "hours", "06:00", null))).containsExactly("schedule.basicUnits");
        assertThat(from(48, "hours", "06:00", null).problems("schedule.", false)).isEmpty();
    }

    @Test
    void aStartTimeIsATimeOfDayInAZoneThatExistsAndOnlyForABasicSchedule() {
        assertThat(fields(from(6, "hours", "25:00", "Europe/Berlin"))).containsExactly("schedule.basicStartTime");
        assertThat(fields(from(6, "hours", "2:00", "Europe/Berlin"))).containsExactly("schedule.basicStartTime");
        assertThat(fields(from(6, "hours", "02:00", "Europe/Nowhere"))).containsExactly("schedule.basicTimeZone");
        assertThat(fields(from(6, "hours", null, "Europe/Berlin"))).containsExactly("schedule.basicTimeZone");
        assertThat(fields(new SyncSchedule("cron", null, null, "0 0 6 * * ?", "UTC", "02:00", "UTC")))
                .containsExactlyInAnyOrder("schedule.basicStartTime", "schedule.basicTimeZone");
        assertThat(basic(6, "hours").anchored()).isFalse();
    }
}
