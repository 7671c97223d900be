package dev.syncline.schema.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.ConnectorRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.events.CheckCompleted;
import dev.syncline.events.SchemaDiff;
import dev.syncline.events.SchemaDiscovered;
import dev.syncline.events.SchemaDiscoveryFailed;
import dev.syncline.events.Topics;
import dev.syncline.kit.catalog.CatalogAvro;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.secrets.SecretBox;
import dev.syncline.kit.actors.ActorCopy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Runs pending discoveries on a worker thread (connectors block), one at a time per instance; several instances
 * share the queue (row locks, skip locked). Results are stored as catalog versions and published.
 */
@ApplicationScoped
public class DiscoveryWorker {
    private static final Logger LOG = Logger.getLogger(DiscoveryWorker.class);

    @Inject
    ConnectorRegistry connectors;

    @Inject
    SecretBox secrets;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper json;

    @Inject
    DiscoveryConfig discoveryConfig;

    @Inject
    DiscoveryConfig.Check checkConfig;

    /**
     * Connectors run on threads of their own, not the common pool (one thread on a 2-core machine: a connector that
     * hangs would hold every discovery behind it); a timeout interrupts its thread.
     */
    private final java.util.concurrent.ExecutorService connectorThreads = java.util.concurrent.Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("connector-", 0).factory());

    /**
     * How long {@code connectorType}'s {@code what} (check or discover) may take: {@code syncline.connectors.<type>.<what>-timeout}
     * (e.g. SYNCLINE_CONNECTORS_AIRBYTE_PROCESS_DISCOVER_TIMEOUT), else the service's default for it.
     */
    Duration timeoutOf(String connectorType, String what) {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("syncline.connectors." + connectorType + "." + what + "-timeout", Duration.class)
                .orElse("check".equals(what) ? checkConfig.timeout() : discoveryConfig.timeout());
    }

    /** A discovery that was running when the service stopped runs again. */
    void onStart(@Observes StartupEvent ev) {
        // subscribeAndAwait needs a worker thread; startup runs on main, which is one
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> DiscoveryRequest
                    .update("status = 'pending' where status = 'running'")));
        } catch (Throwable t) {
            LOG.warnf("could not requeue interrupted discoveries: %s", t.getMessage());
        }
    }

    @Scheduled(every = "${syncline.discovery.poll-interval:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void runPending() throws Throwable {
        DiscoveryRequest next;
        while ((next = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(this::claimNext))) != null) {
            run(next);
        }
    }

    /**
     * Sources are discovered again every {@code syncline.discovery.rediscover-interval} (default a day), so schema
     * changes reach connections even when nobody asks.
     */
    @Scheduled(every = "${syncline.discovery.rediscover-interval:24h}", delayed = "${syncline.discovery.rediscover-interval:24h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rediscover() throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> ActorCopy
                .<ActorCopy>list("kind = 'source' and deleted = false")
                .chain(sources -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (ActorCopy a : sources) {
                        DiscoveryRequest d = new DiscoveryRequest();
                        d.requestId = "scheduled-" + UUID.randomUUID();
                        d.actorId = a.id;
                        d.status = "pending";
                        d.requestedAt = java.time.OffsetDateTime.now();
                        chain = chain.chain(() -> d.persist().replaceWithVoid());
                    }
                    return chain;
                })));
    }

    /** The oldest pending request whose actor is known, marked running. */
    Uni<DiscoveryRequest> claimNext() {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "select r.request_id from discovery_request r join actor_copy a on a.id = r.actor_id "
                                + "where r.status = 'pending' order by r.requested_at limit 1 for update of r skip locked",
                        String.class).getResultList())
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().nullItem()
                        : DiscoveryRequest.<DiscoveryRequest>findById(ids.getFirst()).invoke(r -> r.status = "running"));
    }

    private void run(DiscoveryRequest request) throws Throwable {
        ActorCopy actor = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> ActorCopy.<ActorCopy>findById(request.actorId)));
        if ("check".equals(request.kind)) {
            CheckResult result = check(actor);
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> checked(request, result)));
            LOG.infof("check of %s %s: %s", actor.kind, actor.id, result.succeeded() ? "ok" : result.message());
            return;
        }
        long t0 = System.nanoTime();
        try {
            Catalog catalog = discover(actor);
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> succeeded(request, catalog)
                    // requests for the same source that queued up meanwhile are answered by this discovery (coalesced)
                    .chain(() -> DiscoveryRequest.<DiscoveryRequest>list("actorId = ?1 and kind = 'discover' and status = 'pending'",
                            request.actorId))
                    .chain(waiting -> {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (DiscoveryRequest w : waiting) {
                            chain = chain.chain(() -> succeeded(w, catalog));
                        }
                        return chain;
                    })));
            LOG.infof("discovered %d streams of %s %s in %d ms", catalog.streams().size(), actor.kind, actor.id,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (ConnectorException e) {
            String type = switch (e.type()) {
                case CONFIG -> "config_error";
                case TRANSIENT -> "transient_error";
                default -> "system_error";
            };
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> failed(request, e.getMessage(), type)));
            LOG.infof("discovery of %s failed: %s", actor.id, e.getMessage());
        }
    }

    private Catalog discover(ActorCopy actor) throws ConnectorException {
        Discoverer discoverer;
        if ("destination".equals(actor.kind)) {
            var destination = connectors.destination(actor.connectorType).orElseThrow(() -> new ConnectorException(
                    ConnectorException.Type.CONFIG, "no destination connector '" + actor.connectorType + "'"));
            if (!(destination instanceof dev.syncline.connectors.spi.ActivationDestination activation)) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "destination " + actor.connectorType
                        + " creates its own tables: it has no objects to discover");
            }
            discoverer = activation::discoverObjects;
        } else {
            SourceConnector source = connectors.source(actor.connectorType).orElseThrow(() -> new ConnectorException(
                    ConnectorException.Type.CONFIG, "no source connector '" + actor.connectorType + "'"));
            discoverer = source::discover;
        }
        ObjectNode config;
        try {
            config = secrets.decryptAll((ObjectNode) json.readTree(actor.config));
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "the stored config is not JSON");
        }
        Duration limit = timeoutOf(actor.connectorType, "discover");
        java.util.concurrent.Future<Catalog> future = connectorThreads.submit(() -> discoverer.discover(config));
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, "discovery did not finish within "
                    + limit.toSeconds() + " s (syncline.connectors." + actor.connectorType + ".discover-timeout)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConnectorException ce) {
                throw ce;
            }
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "discovery failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, "discovery interrupted");
        }
    }

    /** A source's discover or an activation destination's discoverObjects. */
    @FunctionalInterface
    interface Discoverer {
        Catalog discover(com.fasterxml.jackson.databind.JsonNode config) throws ConnectorException;
    }

    /** A real connection attempt with the actor's config, bounded by its connector's check timeout. */
    private CheckResult check(ActorCopy actor) {
        Optional<java.util.function.Function<JsonNode, CheckResult>> checker = "source".equals(actor.kind)
                ? connectors.source(actor.connectorType).map(c -> c::check)
                : connectors.destination(actor.connectorType).map(c -> c::check);
        if (checker.isEmpty()) {
            return CheckResult.failed("no connector '" + actor.connectorType + "'");
        }
        ObjectNode config;
        try {
            config = secrets.decryptAll((ObjectNode) json.readTree(actor.config));
        } catch (JsonProcessingException e) {
            return CheckResult.failed("the stored config is not JSON");
        }
        Duration limit = timeoutOf(actor.connectorType, "check");
        java.util.concurrent.Future<CheckResult> future = connectorThreads.submit(() -> checker.get().apply(config));
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return CheckResult.failed("the check did not finish within " + limit.toSeconds() + " s (syncline.connectors."
                    + actor.connectorType + ".check-timeout)");
        } catch (ExecutionException e) {
            return CheckResult.failed("the check failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.failed("the check was interrupted");
        }
    }

    private Uni<Void> checked(DiscoveryRequest request, CheckResult result) {
        request.finish(result.succeeded() ? "succeeded" : "failed", result.succeeded() ? null : result.message());
        CheckCompleted e = new CheckCompleted();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setActorId(request.actorId.toString());
        e.setRequestId(request.requestId);
        e.setSucceeded(result.succeeded());
        e.setMessage(result.succeeded() ? null : result.message());
        return DiscoveryRequest.getSession().chain(s -> s.merge(request))
                .chain(() -> outbox.publish(Topics.SCHEMAS, request.actorId.toString(), e));
    }

    private Uni<Void> succeeded(DiscoveryRequest request, Catalog catalog) {
        String text = write(catalog);
        String hash = sha256(text);
        return CatalogVersion.<CatalogVersion>find("actorId = ?1 order by version desc", request.actorId).firstResult()
                .chain(latest -> {
                    Uni<CatalogVersion> current;
                    SchemaDiff diff = null;
                    if (latest != null && latest.hash.equals(hash)) {
                        current = Uni.createFrom().item(latest);
                    } else {
                        CatalogVersion v = new CatalogVersion();
                        v.actorId = request.actorId;
                        v.version = latest == null ? 1 : latest.version + 1;
                        v.hash = hash;
                        v.catalog = text;
                        v.discoveredAt = java.time.OffsetDateTime.now();
                        current = v.persist();
                        if (latest != null) {
                            diff = SchemaDiffer.diff(read(latest.catalog), catalog);
                        }
                    }
                    SchemaDiff finalDiff = diff;
                    return current.chain(v -> {
                        request.finish("succeeded", null);
                        SchemaDiscovered e = new SchemaDiscovered();
                        e.setEventId(UUID.randomUUID().toString());
                        e.setOccurredAt(Instant.now());
                        e.setActorId(request.actorId.toString());
                        e.setRequestId(request.requestId);
                        e.setConnectionId(request.connectionId);
                        e.setCatalogVersion(v.version);
                        e.setCatalogHash(v.hash);
                        e.setCatalog(CatalogAvro.toAvro(catalog));
                        e.setDiff(finalDiff);
                        return DiscoveryRequest.getSession().chain(s -> s.merge(request))
                                .chain(() -> outbox.publish(Topics.SCHEMAS, request.actorId.toString(), e));
                    });
                });
    }

    private Uni<Void> failed(DiscoveryRequest request, String message, String type) {
        request.finish("failed", message);
        SchemaDiscoveryFailed e = new SchemaDiscoveryFailed();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setActorId(request.actorId.toString());
        e.setRequestId(request.requestId);
        e.setConnectionId(request.connectionId);
        e.setMessage(message);
        e.setFailureType(type);
        return DiscoveryRequest.getSession().chain(s -> s.merge(request))
                .chain(() -> outbox.publish(Topics.SCHEMAS, request.actorId.toString(), e));
    }

    private String write(Catalog c) {
        try {
            return json.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    Catalog read(String text) {
        try {
            return json.readValue(text, Catalog.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored catalog unreadable", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
