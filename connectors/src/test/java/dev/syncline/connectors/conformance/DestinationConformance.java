package dev.syncline.connectors.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.WriteListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every ELT destination must do, as two syncs of one {@code users} stream per sync mode: sync 1 inserts three
 * rows (one with a value that cannot be cast); sync 2 adds a column, updates a row, sends an older version of it
 * after the newer one, deletes a row through {@code _ab_cdc_deleted_at} and inserts a new one. Each test states the
 * expected final table literally.
 */
public abstract class DestinationConformance {
    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    protected abstract DestinationConnector destination();

    /** A config that writes into {@code schema} by default. */
    protected abstract ObjectNode config(String schema);

    /** Configs that must fail the check, each with a fragment of the message the user must see. */
    protected abstract Map<ObjectNode, String> badConfigs();

    /**
     * The rows of {@code schema.table}, each as the values of {@code columns} in order, plus the fields named in
     * the row's {@code _syncline_meta} changes (comma-separated, "" when none) — sorted by every column.
     */
    protected abstract List<List<Object>> rows(String schema, String table, List<String> columns) throws Exception;

    /** The names of the tables in {@code schema}, sorted (none when it does not exist). */
    protected abstract List<String> tables(String schema) throws Exception;

    // ---- the scenario ----

    static final List<String> COLUMNS = List.of("id", "name", "age", "email", "deleted");

    static Field field(String name, FieldType type) {
        return Field.of(name, type);
    }

    protected static ConfiguredCatalog catalog(DestinationSyncMode mode, boolean withEmail) {
        List<Field> fields = new ArrayList<>(List.of(Field.of("id", FieldType.INTEGER), Field.of("name", FieldType.STRING),
                Field.of("age", FieldType.INTEGER), Field.of("updated_at", FieldType.TIMESTAMP_TZ),
                Field.of("_ab_cdc_deleted_at", FieldType.TIMESTAMP_TZ)));
        if (withEmail) {
            fields.add(Field.of("email", FieldType.STRING));
        }
        SyncMode syncMode = mode == DestinationSyncMode.OVERWRITE || mode == DestinationSyncMode.OVERWRITE_DEDUP
                ? SyncMode.FULL_REFRESH : SyncMode.INCREMENTAL;
        Stream users = new Stream(null, "users", fields, Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), true,
                List.of("updated_at"), List.of(List.of("id")));
        return new ConfiguredCatalog(List.of(new ConfiguredStream(users, fields, syncMode, mode, List.of("updated_at"),
                List.of(List.of("id")), null, "users")));
    }

    protected static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static final List<Map<String, Object>> SYNC_1 = List.of(
            row("id", 1L, "name", "Ada", "age", 36L, "updated_at", "2024-01-01T00:00:00Z"),
            row("id", 2L, "name", "Alan", "age", "forty", "updated_at", "2024-01-01T00:00:00Z"),
            row("id", 3L, "name", "Grace", "age", 85L, "updated_at", "2024-01-01T00:00:00Z"));

    static final List<Map<String, Object>> SYNC_2 = List.of(
            row("id", 1L, "name", "Ada L.", "age", 37L, "updated_at", "2024-02-01T00:00:00Z", "email", "ada@example.com"),
            row("id", 3L, "name", "Grace", "age", 85L, "updated_at", "2024-02-01T00:00:00Z",
                    "_ab_cdc_deleted_at", "2024-02-01T00:00:00Z"),
            row("id", 4L, "name", "Linus", "age", 54L, "updated_at", "2024-02-01T00:00:00Z", "email", "linus@example.com"),
            row("id", 1L, "name", "stale", "age", 1L, "updated_at", "2023-12-01T00:00:00Z"));

    /** Writes one sync; returns the rejections. */
    protected List<Rejection> sync(ObjectNode config, ConfiguredCatalog catalog, List<Map<String, Object>> rows)
            throws ConnectorException {
        List<Rejection> rejected = new ArrayList<>();
        List<SourceMessage.StateMessage> acknowledged = new ArrayList<>();
        WriteListener listener = new WriteListener() {
            @Override
            public void rejected(Rejection rejection) {
                rejected.add(rejection);
            }

            @Override
            public void checkpointed(SourceMessage.StateMessage state) {
                acknowledged.add(state);
            }
        };
        try (RecordWriter w = destination().open(config, catalog, listener)) {
            int i = 0;
            for (Map<String, Object> r : rows) {
                w.write(new SourceMessage.RecordMessage(null, "users", new HashMap<>(r), Instant.now()));
                // a checkpoint in the middle: merges must be right across checkpoints too
                if (++i == 2) {
                    SourceMessage.StateMessage s = new SourceMessage.StateMessage(null, "users", JSON.createObjectNode());
                    w.checkpoint(s);
                    assertThat(acknowledged).containsExactly(s);
                }
            }
            w.checkpoint(new SourceMessage.StateMessage(null, "users", JSON.createObjectNode()));
            w.complete();
        }
        return rejected;
    }

    List<List<Object>> twoSyncs(DestinationSyncMode mode) throws Exception {
        String schema = "conformance_" + mode.wireName() + "_" + SCHEMAS.incrementAndGet();
        ObjectNode config = config(schema);
        assertThat(sync(config, catalog(mode, false), SYNC_1)).isEmpty();
        assertThat(sync(config, catalog(mode, true), SYNC_2)).isEmpty();
        return rows(schema, "users", COLUMNS);
    }

    static List<Object> expect(Object... values) {
        return Arrays.asList(values);
    }

    @Test
    void fullRefreshOverwriteKeepsOnlyTheLastSync() throws Exception {
        assertThat(twoSyncs(DestinationSyncMode.OVERWRITE)).containsExactly(
                expect(1L, "Ada L.", 37L, "ada@example.com", false, ""),
                expect(1L, "stale", 1L, null, false, ""),
                expect(3L, "Grace", 85L, null, true, ""),
                expect(4L, "Linus", 54L, "linus@example.com", false, ""));
    }

    @Test
    void appendKeepsEveryRowOfBothSyncsAndAddsTheNewColumn() throws Exception {
        assertThat(twoSyncs(DestinationSyncMode.APPEND)).containsExactly(
                expect(1L, "Ada", 36L, null, false, ""),
                expect(1L, "Ada L.", 37L, "ada@example.com", false, ""),
                expect(1L, "stale", 1L, null, false, ""),
                expect(2L, "Alan", null, null, false, "age"),
                expect(3L, "Grace", 85L, null, false, ""),
                expect(3L, "Grace", 85L, null, true, ""),
                expect(4L, "Linus", 54L, "linus@example.com", false, ""));
    }

    @Test
    void appendDedupKeepsTheLatestRowPerKeyAndAppliesCdcDeletes() throws Exception {
        assertThat(twoSyncs(DestinationSyncMode.APPEND_DEDUP)).containsExactly(
                expect(1L, "Ada L.", 37L, "ada@example.com", false, ""),
                expect(2L, "Alan", null, null, false, "age"),
                expect(4L, "Linus", 54L, "linus@example.com", false, ""));
    }

    @Test
    void overwriteDedupKeepsTheLatestRowPerKeyOfTheLastSync() throws Exception {
        assertThat(twoSyncs(DestinationSyncMode.OVERWRITE_DEDUP)).containsExactly(
                expect(1L, "Ada L.", 37L, "ada@example.com", false, ""),
                expect(4L, "Linus", 54L, "linus@example.com", false, ""));
    }

    @Test
    void aNullPrimaryKeyInADedupModeIsRejectedNotDropped() throws Exception {
        String schema = "conformance_nullpk_" + SCHEMAS.incrementAndGet();
        List<Rejection> rejected = sync(config(schema), catalog(DestinationSyncMode.APPEND_DEDUP, false), List.of(
                row("id", 1L, "name", "Ada", "updated_at", "2024-01-01T00:00:00Z"),
                row("id", null, "name", "Nobody", "updated_at", "2024-01-01T00:00:00Z")));
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.reasons()).singleElement().satisfies(reason -> {
                assertThat(reason.field()).isEqualTo("id");
                assertThat(reason.code()).isEqualTo(Rejection.Code.MISSING_REQUIRED);
            });
        });
        assertThat(rows(schema, "users", List.of("id", "name", "age", "deleted"))).containsExactly(expect(1L, "Ada", null, false, ""));
    }

    @Test
    void anAbandonedSyncLeavesTheFinalTableAsItWas() throws Exception {
        String schema = "conformance_abandon_" + SCHEMAS.incrementAndGet();
        ObjectNode config = config(schema);
        sync(config, catalog(DestinationSyncMode.OVERWRITE, false), SYNC_1);
        try (RecordWriter w = destination().open(config, catalog(DestinationSyncMode.OVERWRITE, true), new WriteListener() {
            @Override
            public void rejected(Rejection rejection) { }

            @Override
            public void checkpointed(SourceMessage.StateMessage state) { }
        })) {
            w.write(new SourceMessage.RecordMessage(null, "users", new HashMap<>(SYNC_2.getFirst()), Instant.now()));
            w.checkpoint(new SourceMessage.StateMessage(null, "users", JSON.createObjectNode()));
            // no complete(): the sync is abandoned (cancelled, or the source failed)
        }
        assertThat(rows(schema, "users", List.of("id", "name"))).containsExactly(
                expect(1L, "Ada", ""), expect(2L, "Alan", "age"), expect(3L, "Grace", ""));
    }

    @Test
    void streamAndFieldNamesCannotInjectSql() throws Exception {
        String schema = "conformance_names_" + SCHEMAS.incrementAndGet();
        Field evil = Field.of("x\"; DROP TABLE users; --", FieldType.STRING);
        Stream s = new Stream(null, "users\"; DROP SCHEMA public; --", List.of(Field.of("id", FieldType.INTEGER), evil),
                Set.of(SyncMode.FULL_REFRESH), false, List.of(), List.of());
        ConfiguredCatalog c = new ConfiguredCatalog(List.of(new ConfiguredStream(s, s.fields(), SyncMode.FULL_REFRESH,
                DestinationSyncMode.OVERWRITE, List.of(), List.of(), null, s.name())));
        List<Rejection> rejected = new ArrayList<>();
        try (RecordWriter w = destination().open(config(schema), c, new WriteListener() {
            @Override
            public void rejected(Rejection rejection) {
                rejected.add(rejection);
            }

            @Override
            public void checkpointed(SourceMessage.StateMessage state) { }
        })) {
            w.write(new SourceMessage.RecordMessage(null, s.name(), new HashMap<>(Map.of("id", 1L, evil.name(), "v")), Instant.now()));
            w.complete();
        }
        assertThat(rejected).isEmpty();
        assertThat(rows(schema, "users___drop_schema_public____", List.of("id"))).containsExactly(expect(1L, ""));
    }

    @Test
    void checkTellsWhatIsWrong() {
        badConfigs().forEach((config, fragment) -> {
            CheckResult r = destination().check(config);
            assertThat(r.succeeded()).as(config.toString()).isFalse();
            assertThat(r.message()).as(config.toString()).contains(fragment).doesNotContain("Exception").doesNotContain("\tat ");
        });
        assertThat(destination().check(config("public")).succeeded()).isTrue();
    }

    @Test
    void specIsAJsonSchemaWithItsSecretsMarked() {
        ObjectNode spec = destination().definition().spec();
        assertThat(spec.path("type").asText()).isEqualTo("object");
        assertThat(spec.path("properties").isObject()).isTrue();
        var metaSchema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                .getSchema(java.net.URI.create("https://json-schema.org/draft/2020-12/schema"));
        assertThat(metaSchema.validate(spec)).isEmpty();
    }

    // ---- nothing lost or mixed (issue 17) ----

    static final WriteListener IGNORE = new WriteListener() {
        @Override
        public void rejected(Rejection rejection) { }

        @Override
        public void checkpointed(SourceMessage.StateMessage state) { }
    };

    static ConfiguredStream stream(String name, DestinationSyncMode mode, Field... fields) {
        Stream s = new Stream(null, name, List.of(fields), Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), false,
                List.of(), List.of(List.of("id")));
        SyncMode syncMode = mode == DestinationSyncMode.OVERWRITE || mode == DestinationSyncMode.OVERWRITE_DEDUP
                ? SyncMode.FULL_REFRESH : SyncMode.INCREMENTAL;
        return new ConfiguredStream(s, s.fields(), syncMode, mode, List.of(), List.of(List.of("id")), null, name);
    }

    @Test
    void twoStreamsNamedAlikeAreRefusedAtOpenNamingBothAndNothingIsCreated() throws Exception {
        String schema = "conformance_twostreams_" + SCHEMAS.incrementAndGet();
        ConfiguredCatalog c = new ConfiguredCatalog(List.of(
                stream("Users", DestinationSyncMode.OVERWRITE_DEDUP, field("id", FieldType.INTEGER)),
                stream("users", DestinationSyncMode.OVERWRITE_DEDUP, field("id", FieldType.INTEGER))));
        assertThatThrownBy(() -> destination().open(config(schema), c, IGNORE).close())
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.type()).isEqualTo(ConnectorException.Type.CONFIG);
                    assertThat(e.getMessage()).contains("streams Users and users").contains(schema + ".users");
                });
        assertThat(tables(schema)).isEmpty();
    }

    @Test
    void twoFieldsNamedAlikeAreRefusedAtOpenNamingBothAndLeaveNoTableBehind() throws Exception {
        String schema = "conformance_twofields_" + SCHEMAS.incrementAndGet();
        // a stream prepared before the faulty one: its staging and replacement tables must not stay behind
        ConfiguredCatalog c = new ConfiguredCatalog(List.of(
                stream("orders", DestinationSyncMode.OVERWRITE_DEDUP, field("id", FieldType.INTEGER)),
                stream("people", DestinationSyncMode.APPEND, field("id", FieldType.INTEGER), field("Name", FieldType.STRING),
                        field("name", FieldType.STRING))));
        assertThatThrownBy(() -> destination().open(config(schema), c, IGNORE).close())
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.type()).isEqualTo(ConnectorException.Type.CONFIG);
                    assertThat(e.getMessage()).contains("fields Name and name of stream people").contains("column name");
                });
        assertThat(tables(schema)).noneMatch(t -> t.startsWith("_syncline"));
    }

    @Test
    void aFieldTakingSynclinesOwnColumnIsRefused() {
        String schema = "conformance_owncolumn_" + SCHEMAS.incrementAndGet();
        ConfiguredCatalog c = new ConfiguredCatalog(List.of(stream("users", DestinationSyncMode.APPEND,
                field("id", FieldType.INTEGER), field("_Syncline_Meta", FieldType.STRING))));
        assertThatThrownBy(() -> destination().open(config(schema), c, IGNORE).close())
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                        .contains("field _Syncline_Meta of stream users").contains("_syncline_meta"));
    }

    @Test
    void whatAKilledAttemptLeftBehindIsDroppedByTheNextOneWhateverItsMode() throws Exception {
        String schema = "conformance_leftovers_" + SCHEMAS.incrementAndGet();
        ObjectNode config = config(schema);
        // an overwrite + dedup attempt that never ends (its process killed): its tables stay
        RecordWriter killed = destination().open(config, catalog(DestinationSyncMode.OVERWRITE_DEDUP, false), IGNORE);
        try {
            killed.write(new SourceMessage.RecordMessage(null, "users", new HashMap<>(SYNC_1.getFirst()), Instant.now()));
            killed.checkpoint(new SourceMessage.StateMessage(null, "users", JSON.createObjectNode()));
            assertThat(tables(schema)).anyMatch(t -> t.startsWith("_syncline_tmp_users"));
            // the next attempt, the stream switched to append meanwhile
            assertThat(sync(config, catalog(DestinationSyncMode.APPEND, false), SYNC_1)).isEmpty();
            assertThat(tables(schema)).containsExactly("users");
        } finally {
            killed.close();
        }
    }

    @Test
    void everyRowCarriesItsStreamsGenerationId() throws Exception {
        for (DestinationSyncMode mode : List.of(DestinationSyncMode.APPEND, DestinationSyncMode.OVERWRITE_DEDUP)) {
            String schema = "conformance_generation_" + SCHEMAS.incrementAndGet();
            ConfiguredStream users = catalog(mode, false).streams().getFirst().withGenerationId(7);
            sync(config(schema), new ConfiguredCatalog(List.of(users)), SYNC_1);
            assertThat(rows(schema, "users", List.of("id", "_syncline_generation_id"))).as(mode.wireName()).containsExactly(
                    expect(1L, 7L, ""), expect(2L, 7L, "age"), expect(3L, 7L, ""));
        }
    }

    @Test
    void theSourcesChangesLandInMetaBesideTheDestinationsAndAnyFieldNameStaysValidJson() throws Exception {
        String schema = "conformance_meta_" + SCHEMAS.incrementAndGet();
        Field odd = field("back\\slash \"quoted\"", FieldType.INTEGER);
        ConfiguredCatalog c = new ConfiguredCatalog(List.of(stream("users", DestinationSyncMode.APPEND,
                field("id", FieldType.INTEGER), field("note", FieldType.STRING), odd)));
        try (RecordWriter w = destination().open(config(schema), c, IGNORE)) {
            // the source nulled "note" (too large for it); the destination cannot cast the odd field's value
            Map<String, Object> data = new HashMap<>(Map.of("id", 1L, odd.name(), "not a number"));
            data.put("note", null);
            w.write(new SourceMessage.RecordMessage(null, "users", data, Instant.now(),
                    List.of(new SourceMessage.Change("note", "NULLED", "SOURCE_FIELD_SIZE_LIMITATION"))));
            w.complete();
        }
        assertThat(rows(schema, "users", List.of("id", "note"))).containsExactly(expect(1L, null, "note," + odd.name()));
    }

    // ---- the toolkit (issue 18): one _syncline_meta writer, every mode ----

    @Test
    void aFieldNamedWithQuotesBackslashesAndAccentsWhoseValueFailsItsCastIsNulledAndNamedExactlyInMeta() throws Exception {
        Field odd = field("Größe \"Zoë\" \\ ñandú", FieldType.INTEGER);
        String column = dev.syncline.connectors.sql.SqlIdentifiers.normalize(odd.name());
        for (DestinationSyncMode mode : DestinationSyncMode.values()) {
            String schema = "conformance_oddfield_" + SCHEMAS.incrementAndGet();
            ConfiguredCatalog c = new ConfiguredCatalog(List.of(stream("users", mode, field("id", FieldType.INTEGER), odd)));
            // a row that casts first: the row after it is the first of its batch with a change to note
            assertThat(sync(config(schema), c, List.of(row("id", 1L, odd.name(), 5L), row("id", 2L, odd.name(), "five"))))
                    .as(mode.wireName()).isEmpty();
            assertThat(rows(schema, "users", List.of("id", column))).as(mode.wireName()).containsExactly(
                    expect(1L, 5L, ""), expect(2L, null, odd.name()));
        }
    }
}
