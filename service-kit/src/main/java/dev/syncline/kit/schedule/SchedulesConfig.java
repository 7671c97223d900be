package dev.syncline.kit.schedule;

import io.smallrye.config.ConfigMapping;

/** Schedules' settings ({@code syncline.schedules.*}), the same in connection-service and sync-service. */
@ConfigMapping(prefix = "syncline.schedules")
public interface SchedulesConfig {
    /** Schedules in seconds too (sync-service's scheduler tests only): see {@link SyncSchedule}. */
    boolean subMinute();
}
