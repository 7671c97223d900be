package dev.syncline.connectors.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One setting of a connector's config, declared once on a component of its config record: {@link ConfigSchema} makes
 * the JSON Schema the registry lists from it and reads a user's config through it, so the two cannot differ. On the
 * record itself it gives the spec's title and description; on a type argument ({@code List<@Setting(minLength = 1)
 * String>}) it constrains the items. Unset attributes are left out of the spec.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE, ElementType.TYPE_USE})
public @interface Setting {
    String title() default "";

    String description() default "";

    /** The value an absent (or null, or empty) setting takes: its text for a string or enum, else JSON ({@code 5432}, {@code ["public"]}). */
    String defaultValue() default "";

    /** Listed in the spec's {@code required}; reading an absent one without a default fails naming it. */
    boolean required() default false;

    /** Never shown, logged or sent in clear ({@link SecretFields}). */
    boolean secret() default false;

    String[] examples() default {};

    long minimum() default Long.MIN_VALUE;

    long maximum() default Long.MAX_VALUE;

    int minLength() default -1;

    int maxLength() default -1;

    int minItems() default -1;

    int minProperties() default -1;

    /** Checked by the spec's validation only (when saved): the connector keeps its own check with its own words. */
    String pattern() default "";

    /** What {@link #pattern()} wants, in words ({@code x-pattern-message}): shown instead of the regex. */
    String patternMessage() default "";

    /** A group of settings (a record) whose settings sit at this level of the config, not under a name of their own. */
    boolean inline() default false;
}
