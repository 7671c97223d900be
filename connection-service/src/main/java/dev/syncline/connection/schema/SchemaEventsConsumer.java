package dev.syncline.connection.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connection.actor.Actors;
import dev.syncline.connection.connections.SchemaReview;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.events.SchemaDiscovered;
import dev.syncline.events.SchemaDiscoveryFailed;
import dev.syncline.kit.catalog.CatalogAvro;
import dev.syncline.kit.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;
import dev.syncline.events.CheckCompleted;
import dev.syncline.events.EventCodec;
import org.apache.avro.generic.GenericRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Applies schema-service's results: stores the source's catalog and gives waiting connections their streams. */
@ApplicationScoped
public class SchemaEventsConsumer {
    private static final Logger LOG = Logger.getLogger(SchemaEventsConsumer.class);
    private static final String CONSUMER = "connection-service.schemas";

    @Inject
    Inbox inbox;

    @Inject
    SchemaReview review;

    @Inject
    Actors actors;

    @Inject
    ObjectMapper json;

    @Incoming("schemas")
    public Uni<Void> on(GenericRecord record) {
        // a transaction per event, tried again while the database is away (TransientFailures), never a DLQ for that
        return dev.syncline.kit.faults.TransientFailures.applyInTransaction(record, () -> apply(record));
    }

    Uni<Void> apply(GenericRecord record) {
        Uni<Void> work = switch (EventCodec.toSpecific(record)) {
            case SchemaDiscovered d -> inbox.once(CONSUMER, d, () -> discovered(d));
            case SchemaDiscoveryFailed f -> inbox.once(CONSUMER, f, () -> failed(f));
            case CheckCompleted c -> inbox.once(CONSUMER, c, () -> dev.syncline.connection.actor.Actor
                    .<dev.syncline.connection.actor.Actor>findById(UUID.fromString(c.getActorId()))
                    .invoke(a -> {
                        if (a != null) {
                            a.checked(c.getRequestId(), c.getSucceeded(), c.getMessage());
                        }
                    }));
            default -> Uni.createFrom().voidItem();
        };
        return work.onFailure().invoke(t -> LOG.errorf(t, "could not apply %s: it goes to the dead-letter topic",
                record.getSchema().getName()));
    }

    private Uni<Void> discovered(SchemaDiscovered d) {
        UUID sourceId = UUID.fromString(d.getActorId());
        Catalog catalog = CatalogAvro.fromAvro(d.getCatalog());
        return catalogOf(sourceId).chain(sc -> {
            if (sc == null) {
                LOG.debugf("catalog of %s ignored: not a source of this service", sourceId);
                return Uni.createFrom().voidItem();
            }
            if (sc.catalogVersion != null && sc.catalogVersion >= d.getCatalogVersion() && sc.catalog != null) {
                // the same version again (a rediscovery that found nothing new) or an older one delivered late
                sc.status = SourceCatalog.DISCOVERED;
                sc.message = null;
                sc.updatedAt = OffsetDateTime.now();
                return review.adoptCatalog(sourceId, catalog);
            }
            Catalog before = sc.catalog == null ? null : actors.readCatalog(sc.catalog);
            sc.status = SourceCatalog.DISCOVERED;
            sc.catalog = write(catalog);
            sc.catalogVersion = d.getCatalogVersion();
            sc.message = null;
            sc.updatedAt = OffsetDateTime.now();
            return review.adoptCatalog(sourceId, catalog)
                    .chain(() -> review.applySchemaChange(sourceId, before, catalog, d.getDiff(), d.getCatalogVersion()));
        });
    }

    private Uni<Void> failed(SchemaDiscoveryFailed f) {
        UUID sourceId = UUID.fromString(f.getActorId());
        return catalogOf(sourceId).invoke(sc -> {
            if (sc != null) {
                sc.status = SourceCatalog.FAILED;
                sc.message = f.getMessage();
                sc.updatedAt = OffsetDateTime.now();
            }
        }).replaceWithVoid();
    }

    private Uni<SourceCatalog> catalogOf(UUID sourceId) {
        return SourceCatalog.<SourceCatalog>findById(sourceId);
    }

    private String write(Catalog c) {
        try {
            return json.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
