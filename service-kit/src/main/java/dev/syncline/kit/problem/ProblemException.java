package dev.syncline.kit.problem;

import java.util.List;

/** A domain error meant for the caller: the exception mapper turns it into problem+json. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String slug;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ProblemException(int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "not-found", what + " not found",
                "no " + what.toLowerCase() + " with id " + id, List.of());
    }

    /** The request names something (by id, in a field) that does not exist. */
    public static ProblemException unknownReference(String field, String what, String id) {
        return invalid(List.of(new Problem.FieldError(field, "no " + what + " with id " + id)));
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    public static ProblemException invalid(List<Problem.FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() == null ? e.message() : e.field() + ": " + e.message())
                .reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return new ProblemException(400, "invalid-request", "Invalid request", detail, errors);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail, List.of());
    }

    public Problem toProblem(String instance) {
        return new Problem(Problem.TYPE_BASE + slug, title, status, getMessage(), instance, errors);
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public int status() {
        return status;
    }
}
