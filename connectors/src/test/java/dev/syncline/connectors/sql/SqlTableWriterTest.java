package dev.syncline.connectors.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SqlTableWriterTest {

    @Test
    void internalNamesWithinTheLimitStayWholeAndLongerOnesEndWithAHashOfTheWholeTable() {
        assertThat(SqlTableWriter.internalName("_syncline_tmp_", "users", 63)).isEqualTo("_syncline_tmp_users");
        String a = "a".repeat(60) + "_one";
        String b = "a".repeat(60) + "_two";
        assertThat(SqlTableWriter.internalName("_syncline_stage_", a, 63)).hasSize(63).startsWith("_syncline_stage_aaa");
        assertThat(SqlTableWriter.internalName("_syncline_stage_", a, 63))
                .isNotEqualTo(SqlTableWriter.internalName("_syncline_stage_", b, 63));
        assertThat(SqlTableWriter.internalName("_syncline_stage_", a, Integer.MAX_VALUE)).isEqualTo("_syncline_stage_" + a);
    }

    static SqlTable table(String cursor) {
        Stream s = new Stream(null, "users", List.of(Field.of("id", FieldType.INTEGER)), Set.of(SyncMode.INCREMENTAL), false,
                List.of(), List.of(List.of("id")));
        ConfiguredStream c = new ConfiguredStream(s, s.fields(), SyncMode.INCREMENTAL, DestinationSyncMode.APPEND_DEDUP,
                cursor == null ? List.of() : List.of(cursor), List.of(List.of("id")), null, "users");
        return new SqlTable(c, "public", "users", "users", "_syncline_stage_users", "\"public\".\"_syncline_stage_users\"",
                List.of(new SqlColumn("id", "id", FieldType.INTEGER, true)), List.of("id"), cursor);
    }

    @Test
    void theRowAlreadyThereLosesUnlessItsCursorIsStrictlyNewer() {
        assertThat(SqlTableWriter.newerThanTarget(table("updated_at"), "\"users\"", "EXCLUDED")).isEqualTo(
                "(\"users\".\"updated_at\" IS NULL OR EXCLUDED.\"updated_at\" IS NULL OR \"users\".\"updated_at\" <= EXCLUDED.\"updated_at\")");
        assertThat(SqlTableWriter.newerThanTarget(table(null), "\"users\"", "l")).isEqualTo("TRUE");
    }

    @Test
    void aNullInARequiredColumnIsRefusedNamingTheFieldAndWhy() {
        SqlColumn id = new SqlColumn("Id", "id", FieldType.INTEGER, true);
        assertThat(SqlTableWriter.refusal(id, null)).isEqualTo(new Rejection.Reason("Id", Rejection.Code.MISSING_REQUIRED,
                "Id is required (NOT NULL column id) but is null"));
        assertThat(SqlTableWriter.refusal(id, "'x' is not a valid integer")).isEqualTo(new Rejection.Reason("Id",
                Rejection.Code.TYPE_MISMATCH, "Id: 'x' is not a valid integer, and column id cannot be null"));
    }

    @Test
    void tablesKnowTheirModeAndWhetherTheyReplaceTheFinalOne() {
        SqlTable t = table("updated_at");
        assertThat(t.dedup()).isTrue();
        assertThat(t.replacesFinal()).isFalse();
        assertThat(t.target()).isEqualTo("\"public\".\"users\"");
        assertThat(t.hasColumn("id")).isTrue();
        assertThat(t.hasColumn(SqlTableWriter.CDC_DELETED_AT)).isFalse();
    }
}
