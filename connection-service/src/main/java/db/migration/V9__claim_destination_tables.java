package db.migration;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connection.connections.ConnectionDtos;
import dev.syncline.connection.streams.DestinationNames;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.reach.ConnectorReach;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Claims the destination tables of the connections that existed before {@code destination_table} (V8), named as the
 * service names them ({@link DestinationNames}, in Java, hence a Java migration): every live ELT connection with
 * streams, oldest first. Where two already wrote one table (the race V8 closes), the older keeps it and the younger's
 * timeline says so; the younger is refused (409) at its next change of streams, namespace or prefix until that is
 * mended.
 */
public class V9__claim_destination_tables extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        // only the destinations' specs are read (their default namespace): the connectors never connect from here
        ConnectorRegistry connectors = ConnectorRegistry.builtIn(ConnectorReach.builder().build());
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        Connection db = context.getConnection();
        try (PreparedStatement select = db.prepareStatement("select c.id, c.destination_id, c.namespace_definition, "
                + "c.namespace_format, c.prefix, c.configured_catalog, a.config, a.connector_type from connection c "
                + "join actor a on a.id = c.destination_id where c.status <> 'deprecated' and c.configured_catalog is not null "
                + "and c.mappings is null order by c.created_at, c.id");
             PreparedStatement claim = db.prepareStatement("insert into destination_table (destination_id, table_name, "
                     + "connection_id, stream) values (?, ?, ?, ?) on conflict (destination_id, table_name) do nothing");
             PreparedStatement note = db.prepareStatement("insert into timeline_event (connection_id, occurred_at, kind, "
                     + "actor, summary) values (?, now(), 'names_collide', 'system', ?)");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                UUID id = rs.getObject("id", UUID.class);
                UUID destinationId = rs.getObject("destination_id", UUID.class);
                List<ConnectionDtos.ConfiguredStream> streams = json.readValue(rs.getString("configured_catalog"),
                        new TypeReference<>() { });
                String connectorType = rs.getString("connector_type");
                DestinationNames.Naming naming = new DestinationNames.Naming(rs.getString("namespace_definition"),
                        rs.getString("namespace_format"), rs.getString("prefix"),
                        DestinationNames.defaultNamespace(json.readTree(rs.getString("config")),
                                connectors.destination(connectorType).map(d -> d.definition().spec())));
                List<String> taken = new ArrayList<>();
                for (Map.Entry<String, String> t : DestinationNames.tables(naming, streams).entrySet()) {
                    claim.setObject(1, destinationId);
                    claim.setString(2, t.getKey());
                    claim.setObject(3, id);
                    claim.setString(4, t.getValue());
                    if (claim.executeUpdate() == 0) {
                        taken.add(t.getKey());
                    }
                }
                if (!taken.isEmpty()) {
                    note.setObject(1, id);
                    note.setString(2, "Tables " + String.join(", ", taken) + " are also written by an older connection of "
                            + "this destination, and one table is written by one connection: set another prefix or "
                            + "namespace, or give these streams other destination names");
                    note.executeUpdate();
                }
            }
        }
    }
}
