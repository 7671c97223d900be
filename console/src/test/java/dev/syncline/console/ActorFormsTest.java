package dev.syncline.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the source and destination forms send and show, without servers: booleans as the box was left, a ticked box
 * coming back ticked, a secret typed in a refused form asked for again, a flash with braces, and a connection set up
 * whose new tag could not be made. The browser tests walk the same pages on the real stack.
 */
class ActorFormsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode spec() throws Exception {
        return JSON.readTree("""
                {"type": "object", "required": ["path"],
                 "properties": {"path": {"type": "string"}, "header": {"type": "boolean", "default": true},
                                "password": {"type": "string", "secret": true}}}""");
    }

    static MultivaluedHashMap<String, String> form(String... keyValues) {
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            form.add(keyValues[i], keyValues[i + 1]);
        }
        return form;
    }

    @Test
    void aBoxThatDefaultsToTrueCanBeUntickedAndATickedOneStaysTicked() throws Exception {
        // the form sends the box ("on") when ticked, then the hidden "false" after it either way
        assertThat(ActorForms.configuration(spec(), ActorForms.typed(form("cfg.path", "/d/a.csv", "cfg.header", "false")))
                .path("header").asBoolean(true)).as("unticked").isFalse();
        assertThat(ActorForms.configuration(spec(), ActorForms.typed(form("cfg.path", "/d/a.csv", "cfg.header", "on",
                "cfg.header", "false"))).path("header").asBoolean(false)).as("ticked").isTrue();
        // a form that comes back shows the box as it was ticked
        Map<String, String> typed = ActorForms.typed(form("cfg.header", "on", "cfg.header", "false"));
        ActorForms.Input header = ActorForms.inputs(spec(), typed, Map.of()).stream()
                .filter(i -> i.key().equals("header")).findFirst().orElseThrow();
        assertThat(header.value()).isEqualTo("true");
        ActorForms.Input unticked = ActorForms.inputs(spec(), ActorForms.typed(form("cfg.header", "false")), Map.of()).stream()
                .filter(i -> i.key().equals("header")).findFirst().orElseThrow();
        assertThat(unticked.value()).isEqualTo("false");
    }

    @Test
    void aSecretTypedInAFormThatCameBackIsAskedForAgainAndNeverShown() throws Exception {
        Map<String, String> typed = ActorForms.typed(form("cfg.path", "/d/a.csv", "cfg.password", "s3cret-typed"));
        assertThat(ActorForms.secretsTypedAgain(spec(), typed)).containsOnlyKeys("password");
        ActorForms.Input password = ActorForms.inputs(spec(), typed, ActorForms.secretsTypedAgain(spec(), typed)).stream()
                .filter(i -> i.key().equals("password")).findFirst().orElseThrow();
        assertThat(password.value()).isEmpty();
        assertThat(password.error()).contains("type it again");
        assertThat(ActorForms.secretsTypedAgain(spec(), ActorForms.typed(form("cfg.password", "")))).isEmpty();
    }

    @Test
    void aFlashWithBracesOrAnAmpersandIsCarriedAsText() {
        Response r = ConsolePages.redirect("/sources", "Saved Shop {EU} & co.");
        URI location = r.getLocation();
        assertThat(r.getStatus()).isEqualTo(303);
        assertThat(location.getRawQuery()).isEqualTo("flash=Saved+Shop+%7BEU%7D+%26+co.");
        assertThat(java.net.URLDecoder.decode(location.getRawQuery(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("flash=Saved Shop {EU} & co.");
    }

    @Test
    void aConnectionSetUpWhoseNewTagCannotBeMadeStillLeadsToItsPage() {
        ConnectionServiceClient away = (ConnectionServiceClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConnectionServiceClient.class}, (proxy, method, args) -> {
                    throw new ProcessingException("connection refused");
                });
        ArrayNode ticked = JSON.createArrayNode();
        Response r = NewConnectionFlow.setUp(away, "6f1c0f3e-0000-4000-8000-000000000001", ticked,
                form("newTagName", "marketing"));
        assertThat(r.getStatus()).isEqualTo(303);
        assertThat(r.getLocation().getPath()).isEqualTo("/connections/6f1c0f3e-0000-4000-8000-000000000001");
        assertThat(java.net.URLDecoder.decode(r.getLocation().getRawQuery(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("Connection set up, without the tag marketing");
        // nothing typed: nothing to make, nothing asked of the service
        assertThat(NewConnectionFlow.addNewTag(away, "x", ticked, form())).isNull();
        assertThat(List.of(r.getLocation().getQuery())).noneMatch(q -> q.contains("Exception"));
    }
}
