package dev.syncline.connectors.sql;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The exact text of {@link DateTimeFormatter#ISO_LOCAL_TIME}, {@link DateTimeFormatter#ISO_LOCAL_DATE_TIME} and
 * {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, written straight into a buffer: the formatters are general and
 * cost more than the rest of a row's conversion together. Years outside 0000–9999 go through the formatters.
 */
final class IsoText {
    private IsoText() { }

    static String of(LocalTime t) {
        StringBuilder out = new StringBuilder(18);
        time(out, t);
        return out.toString();
    }

    static String of(LocalDateTime t) {
        if (!plainYear(t.toLocalDate())) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        return dateTime(new StringBuilder(29), t).toString();
    }

    static String of(OffsetDateTime t) {
        if (!plainYear(t.toLocalDate())) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        StringBuilder out = dateTime(new StringBuilder(35), t.toLocalDateTime());
        offset(out, t.getOffset());
        return out.toString();
    }

    private static StringBuilder dateTime(StringBuilder out, LocalDateTime t) {
        date(out, t.toLocalDate());
        out.append('T');
        time(out, t.toLocalTime());
        return out;
    }

    private static boolean plainYear(LocalDate d) {
        return d.getYear() >= 0 && d.getYear() <= 9999;
    }

    private static void date(StringBuilder out, LocalDate d) {
        int y = d.getYear();
        two(out, y / 100);
        two(out, y % 100);
        out.append('-');
        two(out, d.getMonthValue());
        out.append('-');
        two(out, d.getDayOfMonth());
    }

    /** HH:mm:ss, then the fraction with its trailing zeros dropped (none when it is zero), as the formatters do. */
    private static void time(StringBuilder out, LocalTime t) {
        two(out, t.getHour());
        out.append(':');
        two(out, t.getMinute());
        out.append(':');
        two(out, t.getSecond());
        int nano = t.getNano();
        if (nano != 0) {
            out.append('.');
            int digits = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                digits--;
            }
            String n = Integer.toString(nano);
            for (int i = n.length(); i < digits; i++) {
                out.append('0');
            }
            out.append(n);
        }
    }

    private static void offset(StringBuilder out, ZoneOffset o) {
        int total = o.getTotalSeconds();
        if (total == 0) {
            out.append('Z');
            return;
        }
        int abs = Math.abs(total);
        out.append(total < 0 ? '-' : '+');
        two(out, abs / 3600);
        out.append(':');
        two(out, abs / 60 % 60);
        if (abs % 60 != 0) {
            out.append(':');
            two(out, abs % 60);
        }
    }

    private static void two(StringBuilder out, int v) {
        out.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
