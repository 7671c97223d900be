package dev.syncline.connectors.spi;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One request an API destination sent and what came back (or why nothing did), for the job's request inspector. The
 * connector redacts before it reports: credentials in headers and in the URL's query never leave it, bodies are cut at
 * {@link #MAX_BODY} characters.
 */
public record HttpExchange(Instant at, String method, String url, Map<String, String> requestHeaders, String requestBody,
                           Integer status, Map<String, String> responseHeaders, String responseBody, long millis,
                           String error) {
    public static final int MAX_BODY = 8 * 1024;
    public static final String REDACTED = "[redacted]";
    /** Header and query names that carry credentials. */
    public static final Pattern SECRET_NAMES = Pattern.compile("(?i).*(authorization|cookie|token|secret|password|api[-_]?key|signature|session|auth).*");

    /** A body as the inspector keeps it: the first {@link #MAX_BODY} characters, saying how much was cut. */
    public static String cut(String body) {
        if (body == null) {
            return null;
        }
        return body.length() <= MAX_BODY ? body : body.substring(0, MAX_BODY) + "… (" + (body.length() - MAX_BODY)
                + " more characters)";
    }

    /** {@code url} with the values of credential-looking query parameters redacted. */
    public static String redactUrl(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringBuilder out = new StringBuilder(url.substring(0, q + 1));
        String[] parts = url.substring(q + 1).split("&", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            out.append(i == 0 ? "" : "&").append(eq >= 0 && SECRET_NAMES.matcher(name).matches() ? name + "=" + REDACTED : p);
        }
        return out.toString();
    }

    /** Headers with credential-looking values (and {@code extraSecret}, the connector's own auth header) redacted. */
    public static Map<String, String> redactHeaders(Map<String, java.util.List<String>> headers, String extraSecret) {
        Map<String, String> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> out.put(k, SECRET_NAMES.matcher(k).matches() || k.equalsIgnoreCase(extraSecret)
                ? REDACTED : String.join(", ", v)));
        return out;
    }
}
