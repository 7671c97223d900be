package dev.syncline.connectors.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.Rejection;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordMapperTest {
    static Field field(String name, FieldType type, boolean required, String format, Integer maxLength) {
        return new Field(name, type, !required, List.of(), format, maxLength);
    }

    final RecordMapper mapper = new RecordMapper(List.of(
            new RecordMapper.Rule(List.of("contact", "email"), field("email", FieldType.STRING, true, "email", 80), null),
            new RecordMapper.Rule(List.of("full_name"), field("name", FieldType.STRING, true, null, 20), null),
            new RecordMapper.Rule(List.of("age"), field("age", FieldType.INTEGER, false, null, null), null),
            new RecordMapper.Rule(List.of("score"), field("score", FieldType.NUMBER, false, null, null), null),
            new RecordMapper.Rule(List.of("vip"), field("vip", FieldType.BOOLEAN, false, null, null), null),
            new RecordMapper.Rule(List.of("signed_up"), field("signed_up_on", FieldType.DATE, false, null, null), "dd/MM/yyyy"),
            new RecordMapper.Rule(List.of("seen"), field("last_seen", FieldType.TIMESTAMP_TZ, false, null, null), null)),
            List.of("email"));

    static Map<String, Object> record(Object email, Object name, Object age) {
        Map<String, Object> r = new HashMap<>();
        Map<String, Object> contact = new HashMap<>();
        contact.put("email", email);
        r.put("contact", contact);
        r.put("full_name", name);
        r.put("age", age);
        r.put("score", "12.50");
        r.put("vip", "yes");
        r.put("signed_up", "25/11/2026");
        r.put("seen", "2026-11-25T08:00:00+01:00");
        return r;
    }

    @Test
    void renamesReadsNestedPathsAndConverts() {
        RecordMapper.Outcome o = mapper.map(record("ada@example.com", "Ada", "36"));
        assertThat(o.valid()).as(o.reasons().toString()).isTrue();
        assertThat(o.payload()).containsEntry("email", "ada@example.com").containsEntry("name", "Ada")
                .containsEntry("age", 36L).containsEntry("score", new BigDecimal("12.50")).containsEntry("vip", true)
                .containsEntry("signed_up_on", "2026-11-25").containsEntry("last_seen", "2026-11-25T08:00+01:00");
        // the mapped record remembers the source record it came from (shown beside it when it is rejected)
        assertThat(o.payload().source()).containsEntry("full_name", "Ada");
    }

    @Test
    void everyProblemOfARecordIsReportedWithItsFieldAndCode() {
        assertThat(mapper.map(record(null, "Ada", 1L)).reasons()).extracting(r -> r.field() + ":" + r.code())
                .containsExactly("email:MISSING_REQUIRED");
        assertThat(mapper.map(record("not-an-email", "Ada", 1L)).reasons()).extracting(r -> r.field() + ":" + r.code())
                .containsExactly("email:INVALID_FORMAT");
        assertThat(mapper.map(record("ada@example.com", "Ada", "thirty")).reasons()).singleElement().satisfies(r -> {
            assertThat(r.field()).isEqualTo("age");
            assertThat(r.code()).isEqualTo(Rejection.Code.TYPE_MISMATCH);
            assertThat(r.message()).isEqualTo("'thirty' is not an integer");
        });
        assertThat(mapper.map(record("ada@example.com", "Ada Augusta King, Countess of Lovelace", 1L)).reasons())
                .extracting(r -> r.field() + ":" + r.code() + ":" + r.message())
                .containsExactly("name:TOO_LONG:name is 38 characters long; at most 20 fit");
        Map<String, Object> badDate = record("ada@example.com", "Ada", 1L);
        badDate.put("signed_up", "2026-11-25");
        assertThat(mapper.map(badDate).reasons()).extracting(r -> r.field() + ":" + r.code())
                .containsExactly("signed_up_on:INVALID_FORMAT");
        // every problem of one record at once, each once
        assertThat(mapper.map(record("x", "Ada Augusta King, Countess of Lovelace", 2.5)).reasons())
                .extracting(r -> r.field() + ":" + r.code())
                .containsExactlyInAnyOrder("age:TYPE_MISMATCH", "email:INVALID_FORMAT", "name:TOO_LONG");
    }
}
