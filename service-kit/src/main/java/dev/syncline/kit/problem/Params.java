package dev.syncline.kit.problem;

/**
 * Numeric query parameters, read here rather than by JAX-RS: a value that is not a number is a 400 naming the
 * parameter (JAX-RS answers 404, as if the resource did not exist).
 */
public final class Params {
    private Params() { }

    public static Integer integer(String name, String value) {
        Long v = longValue(name, value);
        if (v != null && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
            throw ProblemException.invalid(name, "is out of range");
        }
        return v == null ? null : v.intValue();
    }

    public static Long longValue(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(name, "must be an integer, not '"
                    + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
        }
    }
}
