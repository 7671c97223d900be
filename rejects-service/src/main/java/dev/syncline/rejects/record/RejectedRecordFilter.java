package dev.syncline.rejects.record;

import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which rejected records a list, a count, an export or a bulk dismiss is about. Every value is checked before any
 * query runs, and every bad one is named in one problem.
 */
record RejectedRecordFilter(UUID connectionId, Long jobId, String stream, String destinationObject, String reasonCode,
                            String field, String status, OffsetDateTime from, OffsetDateTime to) {
    static final Set<String> STATUSES = Set.of("open", "retrying", "resolved", "superseded", "dismissed");
    static final Set<String> CODES = Set.of("MISSING_REQUIRED", "TYPE_MISMATCH", "INVALID_FORMAT", "TOO_LONG",
            "CONSTRAINT_VIOLATION", "DESTINATION_ERROR");

    static RejectedRecordFilter parse(String connectionId, String jobId, String stream, String destinationObject,
                                      String reasonCode, String field, String status, String from, String to) {
        List<Problem.FieldError> errors = new ArrayList<>();
        UUID connection = null;
        if (present(connectionId)) {
            try {
                connection = UUID.fromString(connectionId);
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("connectionId", "'" + connectionId + "' is not a UUID"));
            }
        }
        Long job = null;
        if (present(jobId)) {
            try {
                job = Long.parseLong(jobId);
            } catch (NumberFormatException e) {
                errors.add(new Problem.FieldError("jobId", "'" + jobId + "' is not a job id"));
            }
        }
        if (present(reasonCode) && !CODES.contains(reasonCode)) {
            errors.add(new Problem.FieldError("reasonCode", "'" + reasonCode + "' is not one of " + String.join(", ",
                    CODES.stream().sorted().toList())));
        }
        if (present(status) && !STATUSES.contains(status)) {
            errors.add(new Problem.FieldError("status", "'" + status + "' is not one of open, retrying, resolved, superseded, dismissed"));
        }
        OffsetDateTime f = time("from", from, errors);
        OffsetDateTime t = time("to", to, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new RejectedRecordFilter(connection, job, blankToNull(stream), blankToNull(destinationObject),
                blankToNull(reasonCode), blankToNull(field), blankToNull(status), f, t);
    }

    private static OffsetDateTime time(String name, String value, List<Problem.FieldError> errors) {
        if (!present(value)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(name, "'" + value + "' is not an ISO 8601 time with an offset, "
                    + "e.g. 2026-12-01T08:00:00Z"));
            return null;
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String blankToNull(String s) {
        return present(s) ? s : null;
    }

    /** The WHERE conditions (joined by and; "true" when none) with $n parameters appended to {@code params}. */
    String where(List<Object> params) {
        return where(params, "$");
    }

    /** The same with another parameter marker: "?" gives Hibernate's ?n. */
    String where(List<Object> params, String marker) {
        List<String> c = new ArrayList<>();
        add(c, params, connectionId, "connection_id = " + marker);
        add(c, params, jobId, "job_id = " + marker);
        add(c, params, stream, "stream = " + marker);
        add(c, params, destinationObject, "destination_object = " + marker);
        add(c, params, reasonCode == null ? null : "%," + reasonCode + ",%", "reason_codes like " + marker);
        add(c, params, field == null ? null : "%," + field.replace("%", "\\%").replace("_", "\\_") + ",%", "reason_fields like " + marker);
        add(c, params, status, "status = " + marker);
        add(c, params, from, "rejected_at >= " + marker);
        add(c, params, to, "rejected_at < " + marker);
        return c.isEmpty() ? "true" : String.join(" and ", c);
    }

    private static void add(List<String> conditions, List<Object> params, Object value, String sql) {
        if (value != null) {
            params.add(value);
            conditions.add(sql + params.size());
        }
    }
}
