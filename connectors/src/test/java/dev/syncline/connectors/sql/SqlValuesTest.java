package dev.syncline.connectors.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.connectors.spi.FieldType;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SqlValuesTest {

    @Test
    void temporalTextIsExactlyWhatTheIsoFormattersPrint() {
        Random random = new Random(42);
        int[] nanos = {0, 1, 10, 100_000, 120_000_000, 123_456_000, 999_999_999, 500_000_000, 7_000};
        int[] offsets = {0, 3600, -3600, 19_800, -34_200, 45_296, -64_800, 64_800};
        for (int n = 0; n < 20_000; n++) {
            LocalDateTime local = LocalDateTime.of(random.nextInt(10_000), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), n < 9 ? nanos[n] : random.nextInt(3) == 0
                            ? nanos[random.nextInt(nanos.length)] : random.nextInt(1_000_000_000));
            OffsetDateTime offset = local.atOffset(ZoneOffset.ofTotalSeconds(offsets[random.nextInt(offsets.length)]));
            assertThat(SqlValues.convert(local, FieldType.TIMESTAMP).text())
                    .isEqualTo(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(local));
            assertThat(SqlValues.convert(offset, FieldType.TIMESTAMP_TZ).text())
                    .isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(offset));
            LocalTime time = local.toLocalTime();
            assertThat(SqlValues.convert(time, FieldType.TIME).text()).isEqualTo(DateTimeFormatter.ISO_LOCAL_TIME.format(time));
        }
        LocalDateTime far = LocalDateTime.of(12_345, 6, 7, 8, 9, 10);
        assertThat(SqlValues.convert(far, FieldType.TIMESTAMP).text()).isEqualTo("+12345-06-07T08:09:10");
        assertThat(SqlValues.convert(far.atOffset(ZoneOffset.UTC), FieldType.TIMESTAMP_TZ).text())
                .isEqualTo("+12345-06-07T08:09:10Z");
    }

    @Test
    void copyTextEscapesOnlyWhatCopyReadsSpecially() {
        StringBuilder out = new StringBuilder();
        SqlValues.appendCopyText(out, "plain text, no escapes");
        out.append('|');
        SqlValues.appendCopyText(out, "tab\there\\back\nline\rreturn\0nul");
        out.append('|');
        SqlValues.appendCopyText(out, null);
        out.append('|');
        SqlValues.appendCopyText(out, "");
        assertThat(out.toString()).isEqualTo("plain text, no escapes|tab\\there\\\\back\\nline\\rreturnnul|\\N|");
    }
}
