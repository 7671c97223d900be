package dev.syncline.connection.connections;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import dev.syncline.kit.problem.Problem;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks of the settings a connection carries besides its streams; each problem names its field. */
final class ConnectionSettings {
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private ConnectionSettings() { }

    static List<Problem.FieldError> schedule(ConnectionDtos.Schedule s) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (s == null) {
            return errors;
        }
        switch (s.scheduleType()) {
            case "basic" -> {
                if (s.basicUnits() == null || s.basicUnits() < 1) {
                    errors.add(new Problem.FieldError("schedule.basicUnits", "a basic schedule needs a positive number of units"));
                }
                if (s.basicTimeUnit() == null) {
                    errors.add(new Problem.FieldError("schedule.basicTimeUnit", "a basic schedule needs minutes, hours or days"));
                }
            }
            case "cron" -> {
                if (s.cronExpression() == null || s.cronExpression().isBlank()) {
                    errors.add(new Problem.FieldError("schedule.cronExpression", "a cron schedule needs an expression"));
                } else {
                    try {
                        QUARTZ.parse(s.cronExpression()).validate();
                    } catch (IllegalArgumentException e) {
                        errors.add(new Problem.FieldError("schedule.cronExpression", "not a valid Quartz cron expression: "
                                + e.getMessage()));
                    }
                }
                if (s.cronTimeZone() != null) {
                    try {
                        ZoneId.of(s.cronTimeZone());
                    } catch (DateTimeException e) {
                        errors.add(new Problem.FieldError("schedule.cronTimeZone", "unknown time zone " + s.cronTimeZone()));
                    }
                }
            }
            default -> { }
        }
        return errors;
    }

    /** A custom namespace format must give an identifier once ${SOURCE_NAMESPACE} is replaced. */
    static List<Problem.FieldError> namespace(String definition, String format) {
        if ("custom_format".equals(definition) && format != null && !format.isBlank()) {
            String sample = format.replace("${SOURCE_NAMESPACE}", "public");
            if (!IDENTIFIER.matcher(sample).matches()) {
                return List.of(new Problem.FieldError("namespaceFormat", "'" + format + "' does not make a valid namespace: "
                        + "letters, digits and underscores, not starting with a digit, ${SOURCE_NAMESPACE} allowed"));
            }
        }
        return List.of();
    }
}
