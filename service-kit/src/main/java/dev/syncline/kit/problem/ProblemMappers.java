package dev.syncline.kit.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where errors become responses: every error a client can see is application/problem+json,
 * names the offending field when there is one, and never carries a stack trace.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.toProblem(path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return respond(ProblemException.invalid(errors).toProblem(path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(jsonProblem(e, path(uri)));
    }

    // Quarkus ships mappers for these subclasses; the closest type wins, so each is mapped here too.
    @ServerExceptionMapper(priority = 1)
    public Response jsonParse(JsonParseException e, UriInfo uri) {
        return respond(jsonProblem(e, path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        return respond(jsonProblem(e, path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonMismatch(MismatchedInputException e, UriInfo uri) {
        return respond(jsonProblem(e, path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonFormat(InvalidFormatException e, UriInfo uri) {
        return respond(jsonProblem(e, path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonUnknownField(UnrecognizedPropertyException e, UriInfo uri) {
        return respond(jsonProblem(e, path(uri)));
    }

    /** A role that may not call the resource method the request reached (its @PermissionsAllowed, after routing). */
    @ServerExceptionMapper(priority = 1)
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri, jakarta.ws.rs.core.Request request) {
        return respond(ProblemResponses.of("forbidden", "Forbidden", 403, "this API key's role may not " + request.getMethod()
                + " " + path(uri), path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(io.quarkus.security.UnauthorizedException e, UriInfo uri) {
        return Response.fromResponse(respond(ProblemResponses.of("unauthorized", "Unauthorized", 401,
                "this request needs an API key: Authorization: Bearer <key>", path(uri))))
                .header("WWW-Authenticate", "Bearer realm=\"syncline\"").build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response web(WebApplicationException e, UriInfo uri) {
        // Quarkus wraps body-reading failures; unwrap so a malformed body still names its field
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return respond(jsonProblem(jpe, path(uri)));
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        String detail = switch (status) {
            case 404 -> "no resource at " + path(uri);
            case 405 -> "method not allowed on " + path(uri);
            case 406 -> "this resource answers application/json only";
            case 415 -> "send the body as application/json";
            default -> e.getMessage() == null ? title : e.getMessage();
        };
        return respond(new Problem(Problem.TYPE_BASE + title.toLowerCase().replace(' ', '-'), title, status, detail,
                path(uri), List.of()));
    }

    @ServerExceptionMapper(priority = 10)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (e instanceof WebApplicationException wae) {
            return web(wae, uri);
        }
        if (dev.syncline.kit.faults.TransientFailures.is(e)) {
            // the service's database (or another server it needs) is away for a moment: say so, and when to try again
            LOG.warnf("%s: %s", path(uri), e.getMessage());
            return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "5")
                    .entity(ProblemResponses.of("service-unavailable", "Service unavailable", 503,
                            "this service cannot reach its database right now; try again in a few seconds", path(uri)))
                    .build();
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, path(uri));
        return respond(new Problem(Problem.TYPE_BASE + "internal-error", "Internal error", 500,
                "an unexpected error occurred; quote error id " + errorId + " when reporting it", path(uri), List.of()));
    }

    static Problem jsonProblem(JsonProcessingException e, String instance) {
        if (e instanceof JsonParseException) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            return ProblemException.invalid(List.of(new Problem.FieldError(null, "malformed JSON" + where)))
                    .toProblem(instance);
        }
        if (e instanceof JsonMappingException jme) {
            String field = pathOf(jme);
            String message;
            if (e instanceof UnrecognizedPropertyException upe) {
                message = "unknown field '" + upe.getPropertyName() + "'";
            } else if (e instanceof InvalidFormatException ife) {
                message = "'" + ife.getValue() + "' is not a valid " + simpleType(ife.getTargetType());
            } else if (e instanceof MismatchedInputException mie) {
                message = "must be " + article(simpleType(mie.getTargetType()));
            } else {
                message = e.getOriginalMessage();
            }
            return ProblemException.invalid(List.of(new Problem.FieldError(field.isEmpty() ? null : field, message)))
                    .toProblem(instance);
        }
        return ProblemException.invalid(List.of(new Problem.FieldError(null, "unreadable JSON body"))).toProblem(instance);
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == String.class) {
            return "string";
        }
        if (type.isEnum()) {
            return "value (one of " + String.join(", ",
                    java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString).toList()) + ")";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "number";
        }
        return "object";
    }

    private static String article(String type) {
        return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        // "create.request.configuration.port" -> "configuration.port": drop the method and parameter names
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        if (parts.length <= 2) {
            return "body"; // the request body itself (missing, or null)
        }
        return String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length));
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    private static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }
}
