package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriBuilder;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A connection's Rejected records tab: filter by job, stream, reason and status; each record with every reason per
 * field; export what matches as CSV or JSON lines; dismiss one, or every open one that matches.
 */
@Path("/connections/{id}/rejected")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class RejectedRecordsPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> STATUSES = Set.of("open", "retrying", "resolved", "superseded", "dismissed");

    /**
     * One reason a record was refused; {@code value} is what the field held (cut, shown escaped; null when the field
     * is not in the record), {@code fixHref} the mapping row it is about (activation only).
     */
    public record Reason(String field, String code, String message, String value, String fixHref) { }

    /** {@code sent} is the payload as mapped for the destination object (activation), beside the source record. */
    public record Row(long id, long job, String stream, List<Reason> reasons, String record, String sent, String object,
                      String status, String rejectedAt, boolean dismissable) { }

    /** The longest part of an offending value the list shows; the whole record is one click away. */
    static final int VALUE_SHOWN = 80;

    /** A filter's choice: its value, what the list shows, how many records it holds, and whether it is chosen. */
    public record Option(String value, String label, long count, boolean selected) { }

    /** The filters as chosen: {@code query} repeats them in links and forms. */
    public record Filters(String job, String stream, String reason, String status, String query) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance rejected(String connectionId, String connectionName, Filters filters, List<Row> rows,
                                                List<Option> jobs, List<Option> streams, List<Option> reasons, long total,
                                                String next, String flash, String error);
    }

    @Inject
    @RestClient
    RejectsServiceClient rejects;

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    @Inject
    ServiceUrls services;

    @GET
    @Authenticated
    public Response page(@PathParam("id") String id, @QueryParam("job") String job, @QueryParam("stream") String stream,
                         @QueryParam("reason") String reason, @QueryParam("status") String status,
                         @QueryParam("cursor") String cursor, @QueryParam("flash") String flash) {
        if (!ConsolePages.isUuid(id)) {
            return Response.status(404).entity(Templates.rejected(id, null, filters(null, null, null, null), List.of(),
                    List.of(), List.of(), List.of(), 0, null, null, "There is no connection " + id + ".")).build();
        }
        Filters f = filters(job, stream, reason, status);
        String name = id;
        try {
            name = connectionService.connection(id).path("name").asText(id);
        } catch (RuntimeException e) {
            // the name is a nicety: the records come from rejects-service
        }
        List<Row> rows = new ArrayList<>();
        List<Option> jobs = new ArrayList<>();
        List<Option> streams = new ArrayList<>();
        List<Option> reasons = new ArrayList<>();
        long total = 0;
        String next = null;
        String error = null;
        try {
            // the choices count every record of the status; the total counts what the filters match
            JsonNode counts = rejects.counts(id, null, null, null, f.status());
            total = f.job() == null && f.stream() == null && f.reason() == null ? counts.path("total").asLong()
                    : rejects.counts(id, f.job(), f.stream(), f.reason(), f.status()).path("total").asLong();
            for (JsonNode c : counts.path("byJob")) {
                String v = c.path("jobId").asText();
                jobs.add(new Option(v, "job #" + v, c.path("count").asLong(), v.equals(f.job())));
            }
            for (JsonNode c : counts.path("byStream")) {
                String qualified = c.path("stream").asText();
                String v = qualified.substring(qualified.lastIndexOf('.') + 1); // the filter takes the stream's name
                streams.add(new Option(v, qualified, c.path("count").asLong(), v.equals(f.stream())));
            }
            Map<String, Long> perCode = new LinkedHashMap<>(); // byReason counts per code and field: summed per code
            counts.path("byReason").forEach(c -> perCode.merge(c.path("code").asText(), c.path("count").asLong(), Long::sum));
            perCode.forEach((code, n) -> reasons.add(new Option(code, code, n, code.equals(f.reason()))));
            JsonNode page = rejects.list(id, f.job(), f.stream(), f.reason(), f.status(), "-rejectedAt", 100, cursor);
            for (JsonNode r : page.path("data")) {
                List<Reason> why = reasons(id, r);
                String st = r.path("status").asText();
                JsonNode sent = r.path("mappedPayload");
                rows.add(new Row(r.path("id").asLong(), r.path("jobId").asLong(), r.path("stream").asText(), why,
                        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r.path("record")),
                        sent.isObject() ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sent) : null,
                        r.path("destinationObject").asText(""), st,
                        r.path("rejectedAt").asText().replace('T', ' ').replaceAll("\\.\\d+", ""),
                        st.equals("open") || st.equals("retrying")));
            }
            next = page.path("next").isTextual() ? page.path("next").asText() : null;
        } catch (WebApplicationException e) {
            error = e.getResponse().getStatus() == 400 ? ConnectionPage.problem(e)
                    : ConsolePages.unreachable("rejects-service", services.rejectsService().url(), e);
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            error = ConsolePages.unreachable("rejects-service", services.rejectsService().url(),
                    e instanceof RuntimeException re ? re : new IllegalStateException(e));
        }
        return Response.ok(Templates.rejected(id, name, f, rows, jobs, streams, reasons, total, next, flash, error)).build();
    }

    /**
     * A record's reasons, each with the value its field held: the mapped payload's (what the destination was sent) for
     * an activation record, else the source record's; and, for an activation record, the link to the mapping row.
     */
    static List<Reason> reasons(String connectionId, JsonNode r) {
        List<Reason> why = new ArrayList<>();
        JsonNode sent = r.path("mappedPayload");
        String object = r.path("destinationObject").asText("");
        String stream = r.path("stream").asText();
        String namespace = r.path("streamNamespace").asText("");
        for (JsonNode x : r.path("reasons")) {
            String field = x.path("field").asText("");
            String value = null;
            if (!field.isEmpty()) {
                // an activation record's field is the object's: its value is what was sent (never a source field of
                // the same name); an ELT record's is the source record's
                JsonNode v = !object.isEmpty() ? (sent.isObject() ? sent.get(field) : null) : r.path("record").get(field);
                value = v == null ? null : v.isNull() ? "null (empty)" : v.isTextual() ? shown(v.asText(), "\"") : shown(v.toString(), "");
            }
            String fix = object.isEmpty() || field.isEmpty() ? null : "/connections/" + connectionId + "/schema?namespace="
                    + java.net.URLEncoder.encode(namespace, java.nio.charset.StandardCharsets.UTF_8) + "&stream="
                    + java.net.URLEncoder.encode(stream, java.nio.charset.StandardCharsets.UTF_8) + "&field="
                    + java.net.URLEncoder.encode(field, java.nio.charset.StandardCharsets.UTF_8) + "#fix";
            why.add(new Reason(field, x.path("code").asText(), x.path("message").asText(), value, fix));
        }
        return why;
    }

    /**
     * A value between {@code quote}s, cut to {@link #VALUE_SHOWN} characters (a code point is never split) and then
     * saying how long it was. The page escapes it.
     */
    static String shown(String v, String quote) {
        int length = v.codePointCount(0, v.length());
        if (length <= VALUE_SHOWN) {
            return quote + v + quote;
        }
        return quote + v.substring(0, v.offsetByCodePoints(0, VALUE_SHOWN)) + "…" + quote + " (" + length + " characters)";
    }

    /** The matching records as a file, streamed from rejects-service as it sends them. */
    @GET
    @Authenticated
    @Path("export")
    @Produces(MediaType.WILDCARD)
    public Response export(@PathParam("id") String id, @QueryParam("format") String format, @QueryParam("job") String job,
                           @QueryParam("stream") String stream, @QueryParam("reason") String reason,
                           @QueryParam("status") String status) {
        if (!ConsolePages.isUuid(id)) {
            return Response.status(404).type(MediaType.TEXT_PLAIN).entity("There is no connection " + id + ".").build();
        }
        String fmt = "jsonl".equals(format) ? "jsonl" : "csv";
        Filters f = filters(job, stream, reason, status);
        InputStream in;
        try {
            in = rejects.export(fmt, id, f.job(), f.stream(), f.reason(), f.status());
        } catch (RuntimeException e) {
            return Response.status(502).type(MediaType.TEXT_PLAIN)
                    .entity(ConsolePages.unreachable("rejects-service", services.rejectsService().url(), e)).build();
        }
        StreamingOutput body = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        return Response.ok(body).type(fmt.equals("csv") ? "text/csv; charset=UTF-8" : "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"rejected-records-" + id + "." + fmt + "\"").build();
    }

    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("{recordId}/dismiss")
    public Response dismissOne(@PathParam("id") String id, @PathParam("recordId") String recordId, @FormParam("query") String query) {
        String flash;
        try {
            rejects.dismissOne(recordId);
            flash = "Dismissed rejected record " + recordId + ".";
        } catch (WebApplicationException e) {
            flash = ConnectionPage.problem(e);
        } catch (RuntimeException e) {
            flash = ConsolePages.unreachable("rejects-service", services.rejectsService().url(), e);
        }
        return back(id, query, flash);
    }

    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("dismiss")
    public Response dismissMatching(@PathParam("id") String id, @FormParam("job") String job, @FormParam("stream") String stream,
                                    @FormParam("reason") String reason, @FormParam("query") String query) {
        Filters f = filters(job, stream, reason, "open");
        ObjectNode body = JSON.createObjectNode().put("connectionId", id);
        if (f.job() != null) {
            body.put("jobId", f.job());
        }
        if (f.stream() != null) {
            body.put("stream", f.stream());
        }
        if (f.reason() != null) {
            body.put("reasonCode", f.reason());
        }
        String flash;
        try {
            long n = rejects.dismissMatching(body).path("dismissed").asLong();
            flash = "Dismissed " + n + " rejected record" + (n == 1 ? "" : "s") + ".";
        } catch (WebApplicationException e) {
            flash = ConnectionPage.problem(e);
        } catch (RuntimeException e) {
            flash = ConsolePages.unreachable("rejects-service", services.rejectsService().url(), e);
        }
        return back(id, query, flash);
    }

    private static Response back(String id, String query, String flash) {
        String q = query == null ? "" : query;
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                String k = java.net.URLDecoder.decode(kv.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                if (Set.of("job", "stream", "reason", "status").contains(k)) {
                    params.put(k, java.net.URLDecoder.decode(kv.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        params.put("flash", flash);
        return ConsolePages.redirect(ConsolePages.isUuid(id) ? "/connections/" + id + "/rejected" : "/connections", params);
    }

    static Filters filters(String job, String stream, String reason, String status) {
        String j = job != null && job.matches("\\d{1,18}") ? job : null;
        String s = stream == null || stream.isBlank() ? null : stream;
        String r = reason == null || reason.isBlank() ? null : reason;
        String st = status != null && STATUSES.contains(status) ? status : "open";
        StringBuilder q = new StringBuilder("status=").append(st);
        if (j != null) {
            q.append("&job=").append(j);
        }
        if (s != null) {
            q.append("&stream=").append(java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (r != null) {
            q.append("&reason=").append(java.net.URLEncoder.encode(r, java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Filters(j, s, r, st, q.toString());
    }

}
