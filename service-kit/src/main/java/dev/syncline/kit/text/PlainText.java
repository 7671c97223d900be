package dev.syncline.kit.text;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A name or other one-line text a user gives and a service stores (source, destination, connection, tag and API key
 * names, a stream's destination name, ...): no control characters (tab, newline, NUL, ... : Unicode category Cc) and
 * no lone surrogates. A 400 names the field and the position.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = PlainText.Validator.class)
public @interface PlainText {
    String message() default "must be plain text: no control characters";

    Class<?>[] groups() default { };

    Class<? extends Payload>[] payload() default { };

    /** Checks a String against {@link StorableText#nameProblem}. */
    class Validator implements ConstraintValidator<PlainText, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem = StorableText.nameProblem(value);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            // the problem names only a code point and a position: no braces or $ for the message interpolator to read
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }
    }
}
