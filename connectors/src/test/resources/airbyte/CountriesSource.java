// A tiny source speaking the Airbyte protocol, for the airbyte-process connector's tests. JDK only:
// run as `java CountriesSource.java <verb> --config c.json [--catalog k.json] [--state s.json]`.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class CountriesSource {
    static final String[] NAMES = {"France", "Germany", "Japan", "Brazil", "Nigeria", "Canada", "India", "Spain"};

    public static void main(String[] args) throws Exception {
        String verb = args[0];
        String config = "", state = "";
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (args[i].equals("--config")) config = Files.readString(Path.of(args[i + 1]));
            if (args[i].equals("--state")) state = Files.readString(Path.of(args[i + 1]));
        }
        int rows = number(config, "rows", 10);
        boolean fail = config.contains("\"fail\": true") || config.contains("\"fail\":true");
        switch (verb) {
            case "spec" -> out("{\"type\":\"SPEC\",\"spec\":{\"connectionSpecification\":{\"type\":\"object\",\"properties\":{\"rows\":{\"type\":\"integer\"}}}}}");
            case "check" -> out("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"" + (fail ? "FAILED\",\"message\":\"the fake says no: fail is set\"" : "SUCCEEDED\"") + "}}");
            case "discover" -> out("{\"type\":\"CATALOG\",\"catalog\":{\"streams\":[{\"name\":\"countries\",\"json_schema\":{\"type\":\"object\",\"properties\":{"
                    + "\"id\":{\"type\":\"integer\"},\"name\":{\"type\":[\"null\",\"string\"]},"
                    + "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"tags\":{\"type\":\"array\"}}},"
                    + "\"supported_sync_modes\":[\"full_refresh\",\"incremental\"],\"source_defined_cursor\":true,"
                    + "\"default_cursor_field\":[\"updated_at\"],\"source_defined_primary_key\":[[\"id\"]]}]}}");
            case "read" -> {
                if (fail) {
                    out("{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"emitted_at\":0,\"error\":{\"message\":\"the fake cannot read\"}}}");
                    System.exit(1);
                }
                Matcher m = Pattern.compile("\"cursor\"\\s*:\\s*\"([^\"]+)\"").matcher(state);
                String from = m.find() ? m.group(1) : null;
                out("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"reading from " + from + "\"}}");
                String last = from;
                for (int id = 1; id <= rows; id++) {
                    String at = String.format("2024-01-01T00:%02d:%02dZ", id / 60, id % 60);
                    if (from != null && at.compareTo(from) < 0) continue;   // inclusive cursor
                    out("{\"type\":\"RECORD\",\"record\":{\"stream\":\"countries\",\"emitted_at\":0,\"data\":{\"id\":" + id
                            + ",\"name\":\"" + NAMES[id % NAMES.length] + "\",\"updated_at\":\"" + at + "\",\"tags\":[\"t" + id + "\"]}}}");
                    last = at;
                }
                out("{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"countries\"},"
                        + "\"stream_state\":{\"cursor\":\"" + last + "\"}}}}");
            }
            default -> { System.err.println("unknown verb " + verb); System.exit(2); }
        }
    }

    static int number(String json, String key, int dflt) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Integer.parseInt(m.group(1)) : dflt;
    }

    static void out(String line) {
        System.out.println(line);
    }
}
