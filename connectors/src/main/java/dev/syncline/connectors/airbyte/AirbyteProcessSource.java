package dev.syncline.connectors.airbyte;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.ConnectorKind;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.Setting;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.UncheckedConnectorException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * Any command that speaks the Airbyte protocol, as a source: {@code spec}, {@code check}, {@code discover} and
 * {@code read} with {@code --config}/{@code --catalog}/{@code --state} files, JSON lines on stdout (RECORD, STATE,
 * LOG, TRACE; see {@link ReadOutput}). Lets users run Airbyte's sources without Docker.
 */
public final class AirbyteProcessSource implements SourceConnector {
    public static final String ID = "airbyte-process";
    private static final ObjectNode SPEC = ConfigSchema.of(Settings.class);

    /** What a malformed line of the command's output does. */
    enum MalformedRecords { FAIL, REJECT }

    /**
     * The settings, declared once (the spec is made from them): the command, the inner connector's config, where to run
     * it, and whether a malformed line of its output becomes a rejected record (else it fails the sync).
     */
    @Setting(title = "Airbyte protocol process", description = "Runs any command that speaks the Airbyte protocol (spec, check, "
            + "discover, read; JSON lines on stdout), e.g. an Airbyte Python source installed with pip: no Docker needed.")
    record Settings(
            @Setting(title = "Command", description = "The program and its arguments, e.g. [\"source-faker\"] or [\"python3\", "
                    + "\"main.py\"]; Syncline appends the verb and its files.", required = true, minItems = 1)
            List<@Setting(minLength = 1) String> command,
            @Setting(title = "Connector config", description = "Passed to the command as --config.", defaultValue = "{}")
            JsonNode config,
            @Setting(title = "Working directory")
            String workingDirectory,
            @Setting(title = "Timeout of spec, check and discover (s)", minimum = 1, defaultValue = "300")
            long timeoutSeconds,
            @Setting(title = "Malformed records", description = "What a broken line of the command's output (starts like a message "
                    + "but is not valid JSON, or a RECORD or STATE without what the protocol requires) does: fail (the default) "
                    + "fails the sync, naming the line; reject keeps it as a rejected record of the stream it names and the sync "
                    + "goes on.", defaultValue = "fail")
            MalformedRecords malformedRecords) {

        static Settings of(JsonNode c) throws ConnectorException {
            return ConfigSchema.read(c, Settings.class);
        }

        Duration timeout() {
            return Duration.ofSeconds(timeoutSeconds);
        }

        boolean rejectMalformed() {
            return malformedRecords == MalformedRecords.REJECT;
        }
    }

    @Override
    public ConnectorDefinition definition() {
        return new ConnectorDefinition(ID, "Airbyte protocol process", ConnectorKind.SOURCE, SPEC.deepCopy());
    }

    @Override
    public CheckResult check(JsonNode config) {
        try {
            Settings s = Settings.of(config);
            for (JsonNode m : run(s, "check", null, null)) {
                if (m.path("type").asText().equals("CONNECTION_STATUS")) {
                    JsonNode status = m.path("connectionStatus");
                    return status.path("status").asText().equals("SUCCEEDED") ? CheckResult.ok()
                            : CheckResult.failed(status.path("message").asText("the connector says the check failed"));
                }
            }
            return CheckResult.failed("the command answered check without a CONNECTION_STATUS message");
        } catch (ConnectorException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public Catalog discover(JsonNode config) throws ConnectorException {
        Settings s = Settings.of(config);
        for (JsonNode m : run(s, "discover", null, null)) {
            if (m.path("type").asText().equals("CATALOG")) {
                List<Stream> streams = new ArrayList<>();
                m.path("catalog").path("streams").forEach(n -> streams.add(AirbyteProtocol.stream(n)));
                return new Catalog(streams);
            }
        }
        throw new ConnectorException(ConnectorException.Type.SYSTEM, "the command answered discover without a CATALOG message");
    }

    /** Runs a short verb to its end and returns its messages. */
    private List<JsonNode> run(Settings s, String verb, ConfiguredCatalog catalog, Map<String, JsonNode> state)
            throws ConnectorException {
        Running r = start(s, verb, catalog, state);
        List<JsonNode> messages = new ArrayList<>();
        try {
            String line;
            while ((line = r.stdout.readLine()) != null) {
                JsonNode m = parse(line);
                if (m != null) {
                    messages.add(m);
                }
            }
            if (!r.process.waitFor(s.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ConnectorException(ConnectorException.Type.TRANSIENT, verb + " did not finish within "
                        + s.timeout().toSeconds() + " s");
            }
            String trace = traceError(messages);
            if (r.process.exitValue() != 0 && !verb.equals("check")) {
                throw new ConnectorException(ConnectorException.Type.SYSTEM, verb + " failed (exit " + r.process.exitValue()
                        + "): " + (trace != null ? trace : r.stderrTail()));
            }
            return messages;
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "lost the output of " + verb + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, verb + " interrupted");
        } finally {
            r.close();
        }
    }

    private static String traceError(List<JsonNode> messages) {
        for (JsonNode m : messages) {
            if (m.path("type").asText().equals("TRACE") && m.path("trace").path("type").asText().equals("ERROR")) {
                return m.path("trace").path("error").path("message").asText();
            }
        }
        return null;
    }

    /** A protocol line, or null for anything else a connector prints. */
    static JsonNode parse(String line) {
        if (line.isBlank() || line.charAt(0) != '{') {
            return null;
        }
        try {
            JsonNode n = AirbyteProtocol.JSON.readTree(line);
            return n.has("type") ? n : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A started command, its files, and the last lines of its stderr. */
    private static final class Running implements AutoCloseable {
        final Process process;
        final BufferedReader stdout;
        final Path dir;
        final Deque<String> stderr = new ArrayDeque<>();

        Running(Process process, Path dir) {
            this.process = process;
            this.dir = dir;
            this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
            Thread t = new Thread(() -> {
                try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = err.readLine()) != null) {
                        synchronized (stderr) {
                            stderr.addLast(line);
                            if (stderr.size() > 20) {
                                stderr.removeFirst();
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "airbyte-process-stderr");
            t.setDaemon(true);
            t.start();
        }

        String stderrTail() {
            synchronized (stderr) {
                return stderr.isEmpty() ? "no output on stderr" : String.join(" | ", stderr);
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a temporary folder: the OS cleans it
            }
        }
    }

    private static Running start(Settings s, String verb, ConfiguredCatalog catalog, Map<String, JsonNode> state)
            throws ConnectorException {
        try {
            Path dir = Files.createTempDirectory("syncline-airbyte-");
            List<String> cmd = new ArrayList<>(s.command());
            cmd.add(verb);
            if (!verb.equals("spec")) {
                Path config = dir.resolve("config.json");
                Files.writeString(config, s.config().toString());
                cmd.addAll(List.of("--config", config.toString()));
            }
            if (catalog != null) {
                Path c = dir.resolve("catalog.json");
                Files.writeString(c, AirbyteProtocol.configuredCatalog(catalog).toString());
                cmd.addAll(List.of("--catalog", c.toString()));
                JsonNode st = AirbyteProtocol.stateFile(state, catalog);
                if (!st.isMissingNode() && !st.isEmpty()) {
                    Path sf = dir.resolve("state.json");
                    Files.writeString(sf, st.toString());
                    cmd.addAll(List.of("--state", sf.toString()));
                }
            }
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (s.workingDirectory() != null) {
                pb.directory(Path.of(s.workingDirectory()).toFile());
            }
            return new Running(pb.start(), dir);
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "could not start " + String.join(" ", s.command())
                    + ": " + e.getMessage());
        }
    }

    @Override
    public MessageReader read(JsonNode config, ConfiguredCatalog catalog, Map<String, JsonNode> state)
            throws ConnectorException {
        Settings s = Settings.of(config);
        Running r = start(s, "read", catalog, state);
        ReadOutput output = new ReadOutput(catalog, s.rejectMalformed());
        return new MessageReader() {
            private SourceMessage next;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (next == null && !done) {
                    try {
                        String line = r.stdout.readLine();
                        if (line == null) {
                            finish();
                            break;
                        }
                        next = output.next(line);
                    } catch (IOException e) {
                        throw new UncheckedConnectorException(new ConnectorException(ConnectorException.Type.TRANSIENT,
                                "lost the output of read: " + e.getMessage()));
                    } catch (ConnectorException e) {
                        done = true;
                        throw new UncheckedConnectorException(e);
                    }
                }
                return next != null;
            }

            private void finish() {
                done = true;
                try {
                    r.process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (r.process.exitValue() != 0 || output.traceError != null) {
                    String why = output.traceError != null ? output.traceError
                            : "exit " + r.process.exitValue() + ": " + r.stderrTail();
                    throw new UncheckedConnectorException(new ConnectorException(ConnectorException.Type.SYSTEM,
                            "the source failed: " + why));
                }
            }

            @Override
            public SourceMessage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SourceMessage m = next;
                next = null;
                return m;
            }

            @Override
            public void close() {
                done = true;
                r.close();
            }
        };
    }

}
