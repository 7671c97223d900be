package dev.syncline.connectors.spi;

import java.util.List;

/** A record a destination refused, with a reason per offending field. */
public record Rejection(SourceMessage.RecordMessage record, List<Reason> reasons) {
    public Rejection {
        reasons = List.copyOf(reasons);
    }

    /** Why one field (or, with a null field, the whole record) was refused. */
    public record Reason(String field, Code code, String message) { }

    public enum Code {
        MISSING_REQUIRED, TYPE_MISMATCH, INVALID_FORMAT, TOO_LONG, CONSTRAINT_VIOLATION, DESTINATION_ERROR
    }
}
