package dev.syncline.connectors.httpapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.ReachRefused;
import dev.syncline.connectors.reach.SettingRefused;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConnectorException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An http-api destination pointed at one of Syncline's own HTTP addresses (the registry, a service): refused before a
 * request leaves, whatever the spelling, and a redirect from an outside API to it is not followed.
 */
class HttpApiReachTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Plays the schema registry (or a service): counts the requests that reached it. */
    HttpServer platform;
    final AtomicInteger reachedPlatform = new AtomicInteger();
    /** An outside API that redirects every request to the platform's address. */
    HttpServer redirecting;
    ConnectorReach reach;

    @BeforeEach
    void servers() throws Exception {
        platform = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        platform.createContext("/", exchange -> {
            reachedPlatform.incrementAndGet();
            byte[] body = "{\"results\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        platform.start();
        redirecting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        redirecting.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/apis/registry/v3/admin");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        redirecting.start();
        reach = ConnectorReach.builder().platformTargets(List.of("127.0.0.1:" + port())).build();
    }

    @AfterEach
    void stop() {
        platform.stop(0);
        redirecting.stop(0);
    }

    int port() {
        return platform.getAddress().getPort();
    }

    static ObjectNode config(String baseUrl) {
        ObjectNode c = JSON.createObjectNode().put("base_url", baseUrl).put("max_retries", 0);
        c.putObject("objects").putObject("contacts").putObject("endpoints").put("insert", "/contacts");
        return c;
    }

    @Test
    void refusesThePlatformsAddressesBeforeARequestLeaves() {
        HttpApiDestination destination = new HttpApiDestination(reach);
        for (String host : List.of("127.0.0.1", "localhost", "127.0.0.2", "[::1]", "0.0.0.0")) {
            ObjectNode config = config("http://" + host + ":" + port() + "/apis/registry/v3");
            CheckResult check = destination.check(config);
            assertThat(check.succeeded()).as(host).isFalse();
            assertThat(check.message()).contains("an address of Syncline itself", "syncline.connectors.allowed-targets");
            assertThat(destination.refusals(config)).extracting(SettingRefused::setting).containsExactly("base_url");
        }
        // the path of a request cannot lead elsewhere either: each request's own URL is checked
        assertThatThrownBy(() -> HttpApiClient.of(config("http://localhost:" + port()), reach).post("/contacts", "{}"))
                .isInstanceOfSatisfying(ReachRefused.class, e -> assertThat(e.type()).isEqualTo(ConnectorException.Type.CONFIG));
        assertThat(reachedPlatform).hasValue(0);
    }

    @Test
    void aRedirectToThePlatformIsNotFollowed() {
        HttpApiDestination destination = new HttpApiDestination(reach);
        ObjectNode config = config("http://127.0.0.1:" + redirecting.getAddress().getPort());
        assertThat(destination.refusals(config)).isEmpty();
        CheckResult check = destination.check(config);
        assertThat(check.succeeded()).isFalse();
        assertThat(check.message()).contains("answered 302");
        assertThat(reachedPlatform).hasValue(0);
    }

    @Test
    void anAdminsAllowanceLetsTheTargetThrough() {
        ConnectorReach allowing = ConnectorReach.builder().platformTargets(List.of("127.0.0.1:" + port()))
                .allowedTargets(List.of("localhost:" + port())).build();
        assertThat(new HttpApiDestination(allowing).check(config("http://127.0.0.1:" + port())).succeeded()).isTrue();
        assertThat(reachedPlatform).hasValue(1);
    }
}
