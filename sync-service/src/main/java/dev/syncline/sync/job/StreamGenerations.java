package dev.syncline.sync.job;

import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;

/**
 * Each stream's generation (table stream_generation): a clear or refresh job makes a new one for the streams it
 * covers, once however many attempts it takes; a sync writes in the current one.
 */
@ApplicationScoped
public class StreamGenerations {
    @Inject
    Pool db;

    /** {@code catalog} (the job's streams) with each stream's generation, a new one for a clear or refresh. */
    ConfiguredCatalog of(Job job, ConfiguredCatalog catalog) {
        String[] streams = catalog.streams().stream().map(s -> s.stream().qualifiedName()).toArray(String[]::new);
        boolean renews = job.jobType.renewsGenerations();
        Map<String, Long> generations = new HashMap<>();
        db.withTransaction(c -> (renews ? c.preparedQuery("insert into stream_generation (connection_id, stream, "
                        + "generation_id, job_id) select $1, s, 1, $2 from unnest($3::text[]) as s on conflict (connection_id, "
                        + "stream) do update set generation_id = stream_generation.generation_id + 1, job_id = excluded.job_id "
                        + "where stream_generation.job_id <> excluded.job_id")
                        .execute(Tuple.of(job.connectionId, job.id, streams)).replaceWithVoid()
                        : io.smallrye.mutiny.Uni.createFrom().voidItem())
                .chain(() -> c.preparedQuery("select stream, generation_id from stream_generation where connection_id = $1 "
                        + "and stream = any($2::text[])").execute(Tuple.of(job.connectionId, streams))))
                .await().indefinitely()
                .forEach((Row r) -> generations.put(r.getString(0), r.getLong(1)));
        return new ConfiguredCatalog(catalog.streams().stream().map((ConfiguredStream s) ->
                s.withGenerationId(generations.getOrDefault(s.stream().qualifiedName(), 0L))).toList());
    }
}
