package dev.syncline.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A webhook endpoint for tests: an HTTP server on a free port of 127.0.0.1 that keeps every request it receives and
 * answers each with the next scripted status (200 once the script is spent). Close it to stop the server.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received: its path, headers (lower-case names, first value) and body. */
    public record Received(String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Integer> script = new ArrayDeque<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookReceiver r = new WebhookReceiver(server);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    Map<String, String> headers = new java.util.HashMap<>();
                    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
                    r.received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(headers),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    int status;
                    synchronized (r.script) {
                        status = r.script.isEmpty() ? 200 : r.script.poll();
                    }
                    byte[] answer = (status < 300 ? "ok" : "not now").getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(status, answer.length);
                    exchange.getResponseBody().write(answer);
                } finally {
                    exchange.close();
                }
            });
            server.setExecutor(Executors.newSingleThreadExecutor(t -> {
                Thread th = new Thread(t, "webhook-receiver");
                th.setDaemon(true);
                return th;
            }));
            server.start();
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next requests are answered with these statuses, in order. */
    public WebhookReceiver answer(int... statuses) {
        synchronized (script) {
            for (int s : statuses) {
                script.add(s);
            }
        }
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
