package dev.syncline.connectors.sample;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The rows of the {@code users} stream: row {@code id} depends only on (seed, id), so any row can be
 * regenerated without the ones before it. Malformed rows are spread evenly; even-numbered ones have text in
 * {@code age}, odd-numbered ones a null {@code id}.
 */
final class SampleUsers {
    private static final String[] FIRST = {"Ada", "Alan", "Grace", "Linus", "Barbara", "Dennis", "Margaret", "Ken",
        "Frances", "Edsger", "Radia", "Donald", "Sophie", "Tim", "Hedy", "John"};
    private static final String[] LAST = {"Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Ritchie", "Hamilton",
        "Thompson", "Allen", "Dijkstra", "Perlman", "Knuth", "Wilson", "Berners-Lee", "Lamarr", "McCarthy"};
    private static final String[] COUNTRIES = {"FR", "DE", "US", "GB", "IN", "BR", "JP", "NG", "CA", "ES"};
    private static final long BASE_EPOCH_SECOND = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();

    private final long seed;
    private final long rows;
    private final long malformed;

    SampleUsers(long seed, long rows, long malformed) {
        this.seed = seed;
        this.rows = rows;
        this.malformed = malformed;
    }

    /** Position (0-based) of row {@code id} among malformed rows, or -1 when the row is well-formed. */
    long malformedIndex(long id) {
        if (malformed == 0) {
            return -1;
        }
        // malformed rows are ids floor(k * rows / malformed) + 1, k = 0..malformed-1: spread evenly, all distinct;
        // the only k that can hit this id is the smallest k with k * rows / malformed >= id - 1
        long k = ((id - 1) * malformed + rows - 1) / rows;
        return k < malformed && (k * rows) / malformed + 1 == id ? k : -1;
    }

    Map<String, Object> row(long id) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
        String first = FIRST[r.nextInt(FIRST.length)];
        String last = LAST[r.nextInt(LAST.length)];
        long created = BASE_EPOCH_SECOND + id * 60;
        // within the minute of creation: updated_at grows with id, so a new row is never behind an old cursor
        long updated = created + r.nextInt(60);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", first + " " + last);
        row.put("email", (first + "." + last + id + "@example.com").toLowerCase());
        row.put("age", (long) (18 + r.nextInt(60)));
        row.put("score", Math.round(r.nextDouble() * 10_000) / 100.0);
        row.put("active", r.nextInt(10) < 8);
        row.put("country", COUNTRIES[r.nextInt(COUNTRIES.length)]);
        row.put("created_at", Instant.ofEpochSecond(created).toString());
        row.put("updated_at", Instant.ofEpochSecond(updated).toString());
        long bad = malformedIndex(id);
        if (bad >= 0) {
            if (bad % 2 == 0) {
                row.put("age", "forty-two");
            } else {
                row.put("id", null);
            }
        }
        return row;
    }
}
