package dev.syncline.connectors.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.connectors.spi.InsertionMethod;
import dev.syncline.connectors.spi.Setting;
import java.util.List;
import java.util.Map;

/** The http-api destination's config, declared once: its spec is made from this record. */
@Setting(title = "HTTP API (data activation)", description = "A JSON-over-HTTP API with strict objects (a CRM, a marketing tool, "
        + "an internal service): each object has a JSON Schema and one endpoint per insertion method. Records go in batches as "
        + "{\"records\": [...], \"matchingKey\": [...]}; the answer lists a result per record, {\"ok\": true} or {\"ok\": false, "
        + "\"errors\": [{\"field\", \"code\", \"message\"}]}. 429 and 5xx are retried with backoff.")
record HttpApiSettings(
        @Setting(inline = true)
        Api api,
        @Setting(title = "Objects", required = true, minProperties = 1)
        Map<String, ApiObject> objects) {

    /** Where requests go and how: all that a check needs. */
    record Api(
            @Setting(title = "Base URL", required = true, pattern = "^https?://.+", examples = "https://api.example.com/v1")
            String baseUrl,
            @Setting(title = "Auth header name", defaultValue = "Authorization")
            String authHeader,
            @Setting(title = "Auth header value", description = "e.g. Bearer <token>", secret = true)
            String authToken,
            @Setting(title = "Path answered with 2xx when the API is reachable", defaultValue = "/")
            String checkPath,
            @Setting(title = "Records per request", minimum = 1, maximum = 10000, defaultValue = "500")
            int batchSize,
            @Setting(title = "Retries of a request answered 429 or 5xx", minimum = 0, maximum = 20, defaultValue = "5")
            int maxRetries) {

        @Override
        public String toString() {
            // never print the token
            return "Api[" + baseUrl + ", batch_size=" + batchSize + ", max_retries=" + maxRetries + "]";
        }
    }

    /** One object of the API. */
    record ApiObject(
            @Setting(title = "JSON Schema of one record: properties (type, format, maxLength) and required", required = true)
            JsonNode schema,
            @Setting(title = "Fields (or sets of fields) records can be matched by")
            List<@Setting(minItems = 1) List<String>> matchingKeys,
            @Setting(title = "Path per insertion method", required = true, minProperties = 1)
            Endpoints endpoints) {

        ApiObject {
            matchingKeys = matchingKeys == null ? List.of() : matchingKeys;
        }
    }

    /** The path each insertion method posts to; null where the object does not offer it. */
    record Endpoints(String insert, String update, String upsert, String softDelete) {
        String path(InsertionMethod method) {
            return switch (method) {
                case INSERT -> insert;
                case UPDATE -> update;
                case UPSERT -> upsert;
                case SOFT_DELETE -> softDelete;
            };
        }
    }
}
