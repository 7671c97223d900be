package dev.syncline.connectors.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {
    static final ObjectMapper JSON = new ObjectMapper();

    enum Mode { FAST, SAFE }

    record Login(
            @Setting(title = "Host", required = true, minLength = 1, examples = "db.example.com") String host,
            @Setting(title = "Password", secret = true) String password) { }

    @Setting(title = "Example", description = "A config declared once.")
    record Example(
            @Setting(inline = true) Login login,
            @Setting(title = "Port", required = true, minimum = 1, maximum = 65535, defaultValue = "5432") int port,
            @Setting(title = "Mode", defaultValue = "safe") Mode mode,
            @Setting(title = "Names", minItems = 1, defaultValue = "[\"public\"]") List<@Setting(minLength = 1) String> names,
            @Setting(title = "Verbose", defaultValue = "false") boolean verbose,
            Long limit,
            Map<String, Target> targets) {

        Example {
            if (limit != null && limit > port) {
                throw new IllegalArgumentException("limit must be at most port (" + port + ")");
            }
        }
    }

    record Target(@Setting(required = true) String path, JsonNode options) { }

    /** The same setting with another default: the one place it is declared decides both the spec and the reading. */
    record Defaults5432(@Setting(defaultValue = "5432") int port) { }

    record Defaults6543(@Setting(defaultValue = "6543") int port) { }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aDefaultDeclaredOnceIsBothTheSpecsDefaultAndWhatAnAbsentSettingReads() throws Exception {
        assertThat(ConfigSchema.of(Defaults5432.class).at("/properties/port/default").asInt()).isEqualTo(5432);
        assertThat(ConfigSchema.read(json("{}"), Defaults5432.class).port()).isEqualTo(5432);
        assertThat(ConfigSchema.of(Defaults6543.class).at("/properties/port/default").asInt()).isEqualTo(6543);
        assertThat(ConfigSchema.read(json("{}"), Defaults6543.class).port()).isEqualTo(6543);
        // a null or an empty text is absent too
        assertThat(ConfigSchema.read(json("{\"port\": null}"), Defaults6543.class).port()).isEqualTo(6543);
        assertThat(ConfigSchema.read(json("{\"port\": \"\"}"), Defaults6543.class).port()).isEqualTo(6543);
    }

    @Test
    void theSpecSaysWhatTheRecordDeclaresInItsOrder() throws Exception {
        JsonNode spec = ConfigSchema.of(Example.class);
        assertThat(spec.path("$schema").asText()).isEqualTo(ConfigSchema.DRAFT);
        assertThat(spec.path("title").asText()).isEqualTo("Example");
        assertThat(spec.path("description").asText()).isEqualTo("A config declared once.");
        assertThat(spec.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(spec.path("properties").properties().stream().map(Map.Entry::getKey))
                .containsExactly("host", "password", "port", "mode", "names", "verbose", "limit", "targets");
        assertThat(spec.path("required").toString()).isEqualTo("[\"host\",\"port\"]");
        assertProperty(spec, "host", "{'type':'string','title':'Host','minLength':1,'examples':['db.example.com']}");
        assertProperty(spec, "password", "{'type':'string','title':'Password','secret':true}");
        assertProperty(spec, "port", "{'type':'integer','title':'Port','minimum':1,'maximum':65535,'default':5432}");
        assertProperty(spec, "mode", "{'type':'string','title':'Mode','enum':['fast','safe'],'default':'safe'}");
        assertProperty(spec, "names", "{'type':'array','title':'Names','minItems':1,'items':{'type':'string','minLength':1},"
                + "'default':['public']}");
        assertProperty(spec, "verbose", "{'type':'boolean','title':'Verbose','default':false}");
        assertProperty(spec, "limit", "{'type':'integer'}");
        assertProperty(spec, "targets", "{'type':'object','additionalProperties':{'type':'object','required':['path'],"
                + "'additionalProperties':false,'properties':{'path':{'type':'string'},'options':{'type':'object'}}}}");
        assertThat(SecretFields.pointers(spec)).containsExactly("/password");
    }

    /** {@code expected} in JSON with single quotes. */
    private static void assertProperty(JsonNode spec, String name, String expected) throws Exception {
        assertThat((Object) spec.path("properties").path(name)).as(name).isEqualTo(json(expected.replace('\'', '"')));
    }

    @Test
    void readsEverySettingThroughTheRecord() throws Exception {
        Example e = ConfigSchema.read(json(("{'host':'db','port':6000,'mode':'fast','names':['a','b'],'verbose':true,'limit':10,"
                + "'targets':{'t':{'path':'/x','options':{'k':1}}}}").replace('\'', '"')), Example.class);
        assertThat(e.login()).isEqualTo(new Login("db", null));
        assertThat(e.port()).isEqualTo(6000);
        assertThat(e.mode()).isEqualTo(Mode.FAST);
        assertThat(e.names()).containsExactly("a", "b");
        assertThat(e.verbose()).isTrue();
        assertThat(e.limit()).isEqualTo(10L);
        assertThat(e.targets().get("t").path()).isEqualTo("/x");
        assertThat((Object) e.targets().get("t").options()).isEqualTo(json("{\"k\":1}"));

        Example defaults = ConfigSchema.read(json("{\"host\":\"db\"}"), Example.class);
        assertThat(defaults.port()).isEqualTo(5432);
        assertThat(defaults.mode()).isEqualTo(Mode.SAFE);
        assertThat(defaults.names()).containsExactly("public");
        assertThat(defaults.verbose()).isFalse();
        assertThat(defaults.limit()).isNull();
        assertThat(defaults.targets()).isNull();
        // a group declared inline can be read alone from the same config
        assertThat(ConfigSchema.read(json("{\"host\":\"db\",\"password\":\"s\"}"), Login.class)).isEqualTo(new Login("db", "s"));
    }

    @Test
    void aWholeNumberOrABooleanWrittenAsTextIsReadAsTheReadersBeforeItTookIt() throws Exception {
        Example e = ConfigSchema.read(json("{\"host\":\"db\",\"port\":\"6000\",\"verbose\":\"true\"}"), Example.class);
        assertThat(e.port()).isEqualTo(6000);
        assertThat(e.verbose()).isTrue();
        assertRefused("{\"host\":\"db\",\"port\":\"0\"}", "port must be between 1 and 65535");
    }

    @Test
    void refusesWhatTheSpecRefusesNamingTheSetting() {
        assertRefused("{}", "host is required");
        assertRefused("{\"host\":\"\"}", "host is required");
        assertRefused("{\"host\":\"db\",\"port\":0}", "port must be between 1 and 65535");
        assertRefused("{\"host\":\"db\",\"port\":\"many\"}", "port must be an integer");
        assertRefused("{\"host\":\"db\",\"port\":1.5}", "port must be an integer");
        assertRefused("{\"host\":\"db\",\"mode\":\"slow\"}", "mode must be fast or safe, not slow");
        assertRefused("{\"host\":\"db\",\"names\":[]}", "names needs at least 1 item(s)");
        assertRefused("{\"host\":\"db\",\"names\":[\"\"]}", "names[0] must have at least 1 character(s)");
        assertRefused("{\"host\":\"db\",\"verbose\":\"yes\"}", "verbose must be true or false");
        assertRefused("{\"host\":\"db\",\"targets\":{\"t\":{}}}", "targets.t.path is required");
        // what spans settings is checked by the record itself
        assertRefused("{\"host\":\"db\",\"port\":5,\"limit\":6}", "limit must be at most port (5)");
    }

    private static void assertRefused(String config, String message) {
        assertThatThrownBy(() -> ConfigSchema.read(json(config), Example.class)).as(config)
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.type()).isEqualTo(ConnectorException.Type.CONFIG);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    record MayBeAbsentWithoutDefault(@Setting(title = "Rows") int rows) { }

    @Test
    void aPrimitiveSettingThatMayBeAbsentNeedsADefault() {
        assertThatThrownBy(() -> ConfigSchema.of(MayBeAbsentWithoutDefault.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("rows");
    }
}
