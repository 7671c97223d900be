package dev.syncline.sync.job;

import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.UncheckedConnectorException;
import java.time.Instant;
import java.util.Set;
import org.jboss.logging.Logger;

/** The pump of a sync, clear or refresh: reads the source to its end. */
final class BoundedPump implements RecordPump {
    private static final Logger LOG = Logger.getLogger(BoundedPump.class);

    private final Job job;
    private final Set<String> streams;
    private final ActivationRetries activation;
    private final AttemptScope scope;
    private final RejectionSink sink;

    /** {@code streams}: the qualified names the connection syncs; {@code activation} null for an ELT connection. */
    BoundedPump(Job job, Set<String> streams, ActivationRetries activation, AttemptScope scope, RejectionSink sink) {
        this.job = job;
        this.streams = streams;
        this.activation = activation;
        this.scope = scope;
        this.sink = sink;
    }

    /** The stream last read or written, which a failure is about. */
    private String stream;

    @Override
    public void pump(MessageReader reader, RecordWriter writer) throws Throwable {
        try {
            read(reader, writer);
        } catch (AttemptScope.Cancelled e) {
            throw e;
        } catch (RuntimeException e) {
            throw StageFailure.platform(stream, e);
        }
    }

    private void read(MessageReader reader, RecordWriter writer) throws Throwable {
        SyncStats stats = scope.stats();
        String lastNamespace = null;
        String lastStream = null;
        String runStream = null; // the qualified name of the run of records being read
        while (true) {
            scope.checkCancelled();
            SourceMessage m;
            try {
                if (!reader.hasNext()) {
                    break;
                }
                m = reader.next();
            } catch (UncheckedConnectorException e) {
                throw StageFailure.source(stream, e.connectorException());
            }
            switch (m) {
                case SourceMessage.RecordMessage r -> {
                    if (r.namespace() != lastNamespace || r.stream() != lastStream) { // a new run of a stream
                        lastNamespace = r.namespace();
                        lastStream = r.stream();
                        runStream = configured(stream, r.namespace(), r.stream());
                    }
                    stream = runStream;
                    stats.read(r.namespace(), r.stream(), SyncStats.approximateBytes(r.data()));
                    try {
                        if (activation == null) {
                            writer.write(r);
                        } else {
                            activation.send(stream, r, writer);
                        }
                    } catch (ConnectorException e) {
                        throw StageFailure.destination(stream, e);
                    }
                }
                case SourceMessage.StateMessage s -> {
                    try {
                        writer.checkpoint(s);
                    } catch (ConnectorException e) {
                        throw StageFailure.destination(stream, e);
                    }
                }
                case SourceMessage.LogMessage l -> LOG.debugf("job %d source: %s", job.id, l.message());
                case SourceMessage.RejectedRecord x -> {
                    stream = configured(stream, x.namespace(), x.stream());
                    stats.read(x.namespace(), x.stream(), SyncStats.approximateBytes(x.data()));
                    stats.rejected(x.namespace(), x.stream());
                    sink.rejected(new SourceMessage.RecordMessage(x.namespace(), x.stream(), x.data(), Instant.now()),
                            x.data(), x.reasons());
                }
            }
            sink.flushIfFull();
            scope.tick();
        }
    }

    /** A message of a stream the connection does not sync fails the attempt, at the stream read before it. */
    private String configured(String current, String namespace, String name) throws StageFailure {
        try {
            return AttemptPlan.configured(streams, namespace, name);
        } catch (ConnectorException e) {
            throw StageFailure.source(current, e);
        }
    }
}
