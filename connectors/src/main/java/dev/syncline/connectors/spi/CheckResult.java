package dev.syncline.connectors.spi;

/** Outcome of {@code check}: ok, or a message a user can act on (never a stack trace). */
public record CheckResult(boolean succeeded, String message) {
    public static CheckResult ok() {
        return new CheckResult(true, "ok");
    }

    public static CheckResult failed(String message) {
        return new CheckResult(false, message);
    }
}
