package dev.syncline.kit.faults;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Failures that say nothing about the event or request at hand, only that something it needs is away for a moment:
 * the service's database restarting, the registry or the broker not answering. Work that meets one is retried
 * (a consumer keeps its place: nothing goes to a dead-letter topic for a database restart); anything else is final.
 */
public final class TransientFailures {
    private static final Logger LOG = Logger.getLogger(TransientFailures.class);

    /** How long a consumer waits for its database (or another server it needs) before the event goes to the DLQ. */
    public static final Duration CONSUMER_PATIENCE = Duration.ofMinutes(4);

    private TransientFailures() { }

    /**
     * A consumer's work on one event, in a transaction of its own, tried again (in a new transaction) while it fails
     * transiently: a database restart holds the consumer at this event instead of sending it to the dead-letter topic.
     */
    public static Uni<Void> applyInTransaction(Object record, Supplier<Uni<Void>> work) {
        String what = record instanceof org.apache.avro.generic.GenericRecord g ? "applying " + g.getSchema().getName()
                : "applying a message";
        return retry(what, CONSUMER_PATIENCE, () -> io.quarkus.hibernate.reactive.panache.Panache.withTransaction(work));
    }

    /** Whether {@code t}, or a cause of it, is a connection to a server that failed, closed or timed out. */
    public static boolean is(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.ConnectException || c instanceof java.net.SocketException
                    || c instanceof java.nio.channels.ClosedChannelException || c instanceof java.net.http.HttpTimeoutException
                    || c instanceof java.net.http.HttpConnectTimeoutException || c instanceof java.util.concurrent.TimeoutException
                    || c instanceof io.vertx.sqlclient.ClosedConnectionException
                    || c instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
            // the registry answering 5xx or 429: it is up but cannot serve right now (its own database restarting)
            if (c instanceof io.apicurio.registry.rest.client.models.ProblemDetails p && p.getStatus() != null
                    && (p.getStatus() >= 500 || p.getStatus() == 429)) {
                return true;
            }
            // connection exceptions, the server shutting down or not accepting yet, serialization and deadlock, no slot
            // free: the connectors' classification (less a cancelled statement), so both agree on what a retry can fix
            if (c instanceof io.vertx.pgclient.PgException pg && dev.syncline.connectors.sql.SqlStates.isTransientOnPlatform(pg.getSqlState())) {
                return true;
            }
            String name = c.getClass().getName();
            String message = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (name.startsWith("io.vertx") && (message.contains("connection refused") || message.contains("connection reset")
                    || message.contains("connection was closed") || message.contains("closed connection")
                    || message.contains("timeout") || message.contains("timed out"))) {
                return true;
            }
            if (name.equals("org.hibernate.reactive.pool.impl.ReactiveConnectionPool") || message.contains("connection refused")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code work} (subscribed anew each time), retried while it fails transiently: after 0.5 s, then up to every 10 s,
     * for as long as {@code patience}; other failures, and a transient one past that, end it.
     */
    public static <T> Uni<T> retry(String what, Duration patience, Supplier<Uni<T>> work) {
        return Uni.createFrom().<T>deferred(work::get)
                .onFailure(TransientFailures::is).invoke(t -> LOG.warnf("%s: %s (retrying)", what, rootMessage(t)))
                .onFailure(TransientFailures::is).retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10))
                .expireIn(patience.toMillis());
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
