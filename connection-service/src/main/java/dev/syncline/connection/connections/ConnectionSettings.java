package dev.syncline.connection.connections;

import dev.syncline.kit.problem.Problem;
import java.util.List;
import java.util.regex.Pattern;

/** Checks of the settings a connection carries besides its streams; each problem names its field. */
final class ConnectionSettings {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private ConnectionSettings() { }

    /** The schedule's problems, by the rules sync-service runs it with ({@code subMinute}: the same setting as there). */
    static List<Problem.FieldError> schedule(ConnectionDtos.Schedule s, boolean subMinute) {
        return s == null ? List.of() : s.rules().problems("schedule.", subMinute);
    }

    /** A custom namespace format must give an identifier once ${SOURCE_NAMESPACE} is replaced. */
    static List<Problem.FieldError> namespace(NamespaceDefinition definition, String format) {
        if (definition == NamespaceDefinition.CUSTOM_FORMAT && format != null && !format.isBlank()) {
            String sample = definition.namespaceOf("public", format);
            if (!IDENTIFIER.matcher(sample).matches()) {
                return List.of(new Problem.FieldError("namespaceFormat", "'" + format + "' does not make a valid namespace: "
                        + "letters, digits and underscores, not starting with a digit, ${SOURCE_NAMESPACE} allowed"));
            }
        }
        return List.of();
    }
}
