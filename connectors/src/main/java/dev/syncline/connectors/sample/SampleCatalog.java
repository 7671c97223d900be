package dev.syncline.connectors.sample;

import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** The three sample streams and their rows; row {@code id} of a stream depends only on (seed, stream, id). */
final class SampleCatalog {
    static final String USERS = "users";
    static final String PRODUCTS = "products";
    static final String PURCHASES = "purchases";
    private static final long BASE_EPOCH_SECOND = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
    private static final String[] CATEGORIES = {"books", "games", "garden", "kitchen", "music", "sports", "tools", "toys"};
    private static final String[] ADJECTIVES = {"Small", "Large", "Red", "Blue", "Quiet", "Fast", "Wooden", "Smart"};
    private static final String[] NOUNS = {"Lamp", "Chair", "Kettle", "Guitar", "Ball", "Drill", "Puzzle", "Novel"};

    private static Stream stream(String name, List<Field> fields) {
        return new Stream(null, name, fields, Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), true,
                List.of("updated_at"), List.of(List.of("id")));
    }

    static final Stream USERS_STREAM = stream(USERS, List.of(
            Field.required("id", FieldType.INTEGER),
            Field.of("name", FieldType.STRING),
            Field.of("email", FieldType.STRING),
            Field.of("age", FieldType.INTEGER),
            Field.of("score", FieldType.NUMBER),
            Field.of("active", FieldType.BOOLEAN),
            Field.of("country", FieldType.STRING),
            Field.of("created_at", FieldType.TIMESTAMP_TZ),
            Field.of("updated_at", FieldType.TIMESTAMP_TZ)));

    static final Stream PRODUCTS_STREAM = stream(PRODUCTS, List.of(
            Field.required("id", FieldType.INTEGER),
            Field.of("name", FieldType.STRING),
            Field.of("category", FieldType.STRING),
            Field.of("price", FieldType.NUMBER),
            Field.of("in_stock", FieldType.BOOLEAN),
            Field.of("updated_at", FieldType.TIMESTAMP_TZ)));

    static final Stream PURCHASES_STREAM = stream(PURCHASES, List.of(
            Field.required("id", FieldType.INTEGER),
            Field.of("user_id", FieldType.INTEGER),
            Field.of("product_id", FieldType.INTEGER),
            Field.of("quantity", FieldType.INTEGER),
            Field.of("amount", FieldType.NUMBER),
            Field.of("purchased_at", FieldType.TIMESTAMP_TZ),
            Field.of("updated_at", FieldType.TIMESTAMP_TZ)));

    static final List<Stream> STREAMS = List.of(USERS_STREAM, PRODUCTS_STREAM, PURCHASES_STREAM);

    private SampleCatalog() { }

    static long count(SampleConfig cfg, String stream) {
        return switch (stream) {
            case USERS -> cfg.rows();
            case PRODUCTS -> cfg.products();
            case PURCHASES -> cfg.purchases();
            default -> 0;
        };
    }

    static Map<String, Object> row(SampleConfig cfg, SampleUsers users, String stream, long id) {
        return switch (stream) {
            case USERS -> users.row(id);
            case PRODUCTS -> product(cfg.seed(), id);
            case PURCHASES -> purchase(cfg, id);
            default -> throw new IllegalArgumentException("no sample stream " + stream);
        };
    }

    private static Map<String, Object> product(long seed, long id) {
        SplittableRandom r = new SplittableRandom(seed * 31 + 7 * id + 1);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", ADJECTIVES[r.nextInt(ADJECTIVES.length)] + " " + NOUNS[r.nextInt(NOUNS.length)]);
        row.put("category", CATEGORIES[r.nextInt(CATEGORIES.length)]);
        row.put("price", Math.round(r.nextDouble() * 50_000) / 100.0);
        row.put("in_stock", r.nextInt(4) > 0);
        row.put("updated_at", Instant.ofEpochSecond(BASE_EPOCH_SECOND + id * 60 + r.nextInt(60)).toString());
        return row;
    }

    private static Map<String, Object> purchase(SampleConfig cfg, long id) {
        SplittableRandom r = new SplittableRandom(cfg.seed() * 131 + 11 * id + 3);
        long at = BASE_EPOCH_SECOND + id * 30 + r.nextInt(30);
        long quantity = 1 + r.nextInt(5);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("user_id", cfg.rows() == 0 ? null : 1 + r.nextLong(cfg.rows()));
        row.put("product_id", cfg.products() == 0 ? null : 1 + r.nextLong(cfg.products()));
        row.put("quantity", quantity);
        row.put("amount", Math.round(quantity * r.nextDouble() * 50_000) / 100.0);
        row.put("purchased_at", Instant.ofEpochSecond(at).toString());
        row.put("updated_at", Instant.ofEpochSecond(at).toString());
        return row;
    }
}
