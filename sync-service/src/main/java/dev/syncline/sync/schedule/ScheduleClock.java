package dev.syncline.sync.schedule;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** The time schedules fire by: the system clock, which a test replaces (QuarkusMock) with one it moves. */
@ApplicationScoped
public class ScheduleClock {
    public Instant now() {
        return Instant.now();
    }
}
