package dev.syncline.connectors.httpapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.BufferedWriter;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.InsertionMethod;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.WriteListener;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts mapped records to the object's endpoint for the insertion method, a batch per request, and reports each
 * record the API refused, with the field, code and message it gave. A whole batch the API refuses with a 4xx
 * (bad request, unprocessable) rejects each of its records; 401, 403 and 404 fail the sync as a configuration error.
 */
final class HttpApiWriter extends BufferedWriter<HttpApiWriter.Target> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One object's endpoint; a batch is at most {@code batch_size} records. */
    static final class Target extends BufferedWriter.Buffer {
        final String path;

        Target(ConfiguredStream stream, String path, int batchSize) {
            super(stream, batchSize, Long.MAX_VALUE);
            this.path = path;
        }
    }

    private final HttpApiClient client;

    HttpApiWriter(HttpApiClient client, HttpApiSettings settings, ConfiguredCatalog catalog, WriteListener listener) throws ConnectorException {
        super(listener);
        this.client = client;
        int batchSize = settings.api().batchSize();
        for (ConfiguredStream s : catalog.streams()) {
            HttpApiSettings.ApiObject object = settings.objects().get(s.destinationName());
            if (object == null) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "the API has no object " + s.destinationName());
            }
            InsertionMethod method = s.insertionMethod() == null ? InsertionMethod.INSERT : s.insertionMethod();
            String path = object.endpoints().path(method);
            if (path == null) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "object " + s.destinationName() + " has no endpoint for "
                        + method.wireName());
            }
            add(new Target(s, path, batchSize));
        }
    }

    @Override
    protected boolean append(Target t, SourceMessage.RecordMessage record) {
        return true; // the API checks the records itself
    }

    @Override
    protected void flush(Target t) throws ConnectorException {
        List<SourceMessage.RecordMessage> batch = t.take();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode records = body.putArray("records");
        for (SourceMessage.RecordMessage r : batch) {
            records.add(JSON.valueToTree(r.data()));
        }
        ArrayNode key = body.putArray("matchingKey");
        t.stream().matchingKey().forEach(key::add);
        HttpResponse<String> response;
        try {
            response = client.post(t.path, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "records of " + t.stream().destinationName()
                    + " cannot be sent as JSON: " + e.getOriginalMessage(), e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403 || status == 404) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "POST " + response.uri() + " answered " + status
                    + (status == 404 ? ": check the object's endpoint" : ": check the auth header"));
        }
        if (status == 429 || status >= 500) {
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, "POST " + response.uri() + " still answered " + status
                    + " after the retries");
        }
        if (status >= 400) {
            String message = "the API refused the batch (" + status + "): " + abbreviate(response.body());
            for (SourceMessage.RecordMessage r : batch) {
                reject(new Rejection(r, List.of(new Rejection.Reason(null, Rejection.Code.DESTINATION_ERROR, message))));
            }
            return;
        }
        JsonNode results;
        try {
            results = JSON.readTree(response.body()).path("results");
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "POST " + response.uri() + " answered " + status
                    + " with a body that is not JSON: " + abbreviate(response.body()));
        }
        if (!results.isArray() || results.size() != batch.size()) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "POST " + response.uri() + " answered " + results.size()
                    + " results for " + batch.size() + " records");
        }
        for (int i = 0; i < batch.size(); i++) {
            JsonNode result = results.get(i);
            if (result.path("ok").asBoolean(false)) {
                continue;
            }
            List<Rejection.Reason> reasons = new ArrayList<>();
            for (JsonNode e : result.path("errors")) {
                String field = e.path("field").isTextual() ? e.path("field").asText() : null;
                reasons.add(new Rejection.Reason(field, code(e.path("code").asText("")), e.path("message").asText("refused")));
            }
            if (reasons.isEmpty()) {
                reasons.add(new Rejection.Reason(null, Rejection.Code.DESTINATION_ERROR, "the API refused the record"));
            }
            reject(new Rejection(batch.get(i), reasons));
        }
    }

    /** The API's code when it is one of ours, else DESTINATION_ERROR. */
    static Rejection.Code code(String code) {
        try {
            return Rejection.Code.valueOf(code);
        } catch (IllegalArgumentException e) {
            return Rejection.Code.DESTINATION_ERROR;
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    @Override
    public void close() {
        // nothing held open: each batch is one request
    }
}
