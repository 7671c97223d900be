package dev.syncline.connection.mapping;

import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.InsertionMethod;
import dev.syncline.connectors.spi.InsertionMethodSpec;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.kit.problem.Problem;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks data activation mappings against the source's streams and the destination's objects, and completes them
 * (insertion method, matching key pre-filled and mapped by name, sync mode). Every problem is listed in one answer.
 */
public final class MappingValidator {
    private MappingValidator() { }

    /** A mapping as it will run. */
    public record Resolved(String namespace, String stream, String destinationObject, String objectNamespace,
                           InsertionMethod insertionMethod, List<String> matchingKey, SyncMode syncMode,
                           List<String> cursorField, List<MappingRequest.FieldMapping> fields,
                           @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "the object's fields as "
                                   + "discovered (type, required, format, maxLength): what each record is validated against")
                           List<Field> objectFields) {
        public Resolved {
            objectFields = objectFields == null ? List.of() : List.copyOf(objectFields);
        }
    }

    public record Result(List<Resolved> mappings, List<Problem.FieldError> errors) { }

    public static Result validate(Catalog source, Catalog objects, List<MappingRequest> requests) {
        List<Resolved> out = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        if (requests.isEmpty()) {
            errors.add(new Problem.FieldError("mappings", "map at least one stream to an object"));
        }
        for (int i = 0; i < requests.size(); i++) {
            MappingRequest r = requests.get(i);
            String at = "mappings[" + i + "]";
            int before = errors.size();
            Optional<Stream> stream = source.stream(r.namespace(), r.stream());
            if (stream.isEmpty()) {
                errors.add(new Problem.FieldError(at + ".stream", "the source has no stream " + r.stream()));
            }
            Optional<Stream> object = objects.streams().stream().filter(o -> o.name().equals(r.destinationObject())).findFirst();
            if (object.isEmpty()) {
                errors.add(new Problem.FieldError(at + ".destinationObject", "the destination has no object " + r.destinationObject()
                        + "; it has " + objects.streams().stream().map(Stream::name).toList()));
            }
            if (stream.isEmpty() || object.isEmpty()) {
                continue;
            }
            Stream s = stream.get();
            Stream o = object.get();
            // insertion method and its matching key
            InsertionMethod method = r.insertionMethod() != null ? r.insertionMethod()
                    : o.insertionMethods().stream().anyMatch(m -> m.method() == InsertionMethod.UPSERT) ? InsertionMethod.UPSERT
                    : InsertionMethod.INSERT;
            Optional<InsertionMethodSpec> spec = o.insertionMethods().stream().filter(m -> m.method() == method).findFirst();
            List<String> key = r.matchingKey() == null ? List.of() : r.matchingKey();
            if (spec.isEmpty()) {
                errors.add(new Problem.FieldError(at + ".insertionMethod", o.name() + " supports "
                        + o.insertionMethods().stream().map(m -> m.method().wireName()).toList() + ", not " + method.wireName()));
            } else if (method.needsMatchingKey()) {
                if (key.isEmpty() && !spec.get().matchingKeys().isEmpty()) {
                    key = spec.get().matchingKeys().getFirst(); // pre-filled
                }
                if (!spec.get().matchingKeys().contains(key)) {
                    errors.add(new Problem.FieldError(at + ".matchingKey", method.wireName() + " into " + o.name()
                            + " matches records by one of " + spec.get().matchingKeys()));
                }
            }
            // field mappings, with the matching key's fields mapped by name when the user did not
            List<MappingRequest.FieldMapping> fields = new ArrayList<>(r.fields());
            Set<String> mapped = new HashSet<>();
            fields.forEach(f -> mapped.add(f.destination()));
            for (String k : key) {
                if (!mapped.contains(k) && s.field(k).isPresent()) {
                    fields.add(new MappingRequest.FieldMapping(List.of(k), k));
                    mapped.add(k);
                }
            }
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < fields.size(); j++) {
                MappingRequest.FieldMapping f = fields.get(j);
                String fat = at + ".fields[" + j + "]";
                Field from = find(s.fields(), f.source());
                Optional<Field> to = o.field(f.destination());
                if (from == null) {
                    errors.add(new Problem.FieldError(fat + ".source", "no field " + String.join(".", f.source()) + " in " + s.name()));
                }
                if (to.isEmpty()) {
                    errors.add(new Problem.FieldError(fat + ".destination", "no field " + f.destination() + " in " + o.name()));
                }
                if (!seen.add(f.destination())) {
                    errors.add(new Problem.FieldError(fat + ".destination", f.destination() + " is mapped twice"));
                }
                if (f.format() != null) {
                    try {
                        java.time.format.DateTimeFormatter.ofPattern(f.format());
                    } catch (IllegalArgumentException e) {
                        errors.add(new Problem.FieldError(fat + ".format", "not a date pattern: " + e.getMessage()));
                    }
                    if (to.isPresent() && !EnumSet.of(FieldType.DATE, FieldType.TIMESTAMP, FieldType.TIMESTAMP_TZ).contains(to.get().type())) {
                        errors.add(new Problem.FieldError(fat + ".format", "a format reads text into a date or timestamp; "
                                + f.destination() + " is " + to.get().type().wireName()));
                    }
                }
                if (from != null && to.isPresent() && !convertible(from.type(), to.get().type())) {
                    errors.add(new Problem.FieldError(fat, "cannot convert " + from.type().wireName() + " ("
                            + String.join(".", f.source()) + ") to " + to.get().type().wireName() + " (" + f.destination() + ")"));
                }
            }
            for (String k : key) {
                if (!mapped.contains(k)) {
                    errors.add(new Problem.FieldError(at + ".matchingKey", "matching key field " + k
                            + " must be mapped (the source has no field of that name to map it from)"));
                }
            }
            if (method == InsertionMethod.INSERT || method == InsertionMethod.UPSERT) {
                for (Field f : o.fields()) {
                    if (!f.nullable() && !mapped.contains(f.name())) {
                        errors.add(new Problem.FieldError(at + ".fields", "required field " + f.name() + " of " + o.name()
                                + " is not mapped"));
                    }
                }
            }
            // sync mode and cursor
            List<String> cursor = r.cursorField() != null && !r.cursorField().isEmpty() ? r.cursorField() : s.defaultCursorField();
            SyncMode mode = r.syncMode() != null ? r.syncMode()
                    : s.supportedSyncModes().contains(SyncMode.INCREMENTAL) && !cursor.isEmpty() ? SyncMode.INCREMENTAL
                    : SyncMode.FULL_REFRESH;
            if (!s.supportedSyncModes().contains(mode)) {
                errors.add(new Problem.FieldError(at + ".syncMode", "the source does not support " + mode.wireName() + " for " + s.name()));
            }
            if (mode == SyncMode.INCREMENTAL && (cursor.isEmpty() || find(s.fields(), cursor) == null)) {
                errors.add(new Problem.FieldError(at + ".cursorField", "incremental needs a cursor field of " + s.name()));
            }
            if (errors.size() == before) {
                out.add(new Resolved(s.namespace(), s.name(), o.name(), o.namespace(), method, key, mode,
                        mode == SyncMode.INCREMENTAL ? cursor : List.of(), fields, o.fields()));
            }
        }
        return new Result(out, errors);
    }

    /** Whether a value of one type can be turned into the other (text parses into numbers, dates and booleans). */
    public static boolean convertible(FieldType from, FieldType to) {
        if (from == to || to == FieldType.STRING) {
            return true;
        }
        return switch (to) {
            case INTEGER, NUMBER -> from == FieldType.INTEGER || from == FieldType.NUMBER || from == FieldType.STRING;
            case BOOLEAN -> from == FieldType.STRING;
            case DATE, TIMESTAMP, TIMESTAMP_TZ -> from == FieldType.STRING || from == FieldType.DATE
                    || from == FieldType.TIMESTAMP || from == FieldType.TIMESTAMP_TZ;
            case TIME -> from == FieldType.STRING;
            case OBJECT, ARRAY, BINARY -> from == FieldType.STRING;
            default -> false;
        };
    }

    static Field find(List<Field> fields, List<String> path) {
        List<Field> level = fields;
        Field found = null;
        for (String part : path) {
            found = level.stream().filter(f -> f.name().equals(part)).findFirst().orElse(null);
            if (found == null) {
                return null;
            }
            level = found.fields();
        }
        return found;
    }
}
