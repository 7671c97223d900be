package dev.syncline.connectors.spi;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) UUIDs from ThreadLocalRandom, for ids that must be unique but not unguessable (a raw row's
 * id, a rejected record's event id): {@link UUID#randomUUID()} draws from SecureRandom, which costs more than the
 * rest of the per-record work when a sync moves thousands of records a second.
 */
public final class RandomIds {
    private RandomIds() { }

    public static UUID uuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    }
}
