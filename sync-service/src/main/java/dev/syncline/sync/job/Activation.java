package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.activation.MappedRecord;
import dev.syncline.connectors.activation.RecordMapper;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.InsertionMethod;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.events.Mapping;
import dev.syncline.kit.catalog.CatalogAvro;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data activation sync's plan: per source stream, the mapper that turns its records into the destination object's
 * records and checks them against the object, and the catalog the destination writes (objects, their mapped fields,
 * insertion method and matching key). Null for an ELT connection.
 */
final class Activation {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One source stream onto one object. */
    record StreamPlan(String stream, String namespace, String name, RecordMapper mapper, String object, InsertionMethod method, List<String> matchingKey,
                      List<List<String>> sourceKey) {
        /**
         * The record's key, as JSON: its matching key when the method has one, else the source's primary key; null when
         * a part of it is missing (such a record cannot be matched to a later version of itself).
         */
        String key(MappedRecord r) {
            Map<String, Object> key = new LinkedHashMap<>();
            if (!matchingKey.isEmpty()) {
                for (String k : matchingKey) {
                    Object v = r.get(k);
                    if (v == null) {
                        return null;
                    }
                    key.put(k, v);
                }
            } else if (!sourceKey.isEmpty()) {
                for (List<String> path : sourceKey) {
                    Object v = RecordMapper.read(r.source(), path);
                    if (v == null) {
                        return null;
                    }
                    key.put(String.join(".", path), v);
                }
            } else {
                return null;
            }
            try {
                return JSON.writeValueAsString(key);
            } catch (JsonProcessingException e) {
                return null;
            }
        }
    }

    private final Map<String, StreamPlan> plans;
    private final ConfiguredCatalog writeCatalog;

    private Activation(Map<String, StreamPlan> plans, ConfiguredCatalog writeCatalog) {
        this.plans = plans;
        this.writeCatalog = writeCatalog;
    }

    /** The plan of a connection whose configured streams are {@code catalog}; null when it has no mappings. */
    static Activation of(ConnectionConfiguration c, ConfiguredCatalog catalog) throws ConnectorException {
        if (c.getMappings() == null || c.getMappings().isEmpty()) {
            return null;
        }
        Map<String, Mapping> byStream = new HashMap<>();
        for (Mapping m : c.getMappings()) {
            byStream.put(AttemptPlan.qualified(m.getNamespace(), m.getStream()), m);
        }
        Map<String, StreamPlan> plans = new LinkedHashMap<>();
        List<ConfiguredStream> write = new ArrayList<>();
        for (ConfiguredStream s : catalog.streams()) {
            String key = s.stream().qualifiedName();
            Mapping m = byStream.get(key);
            if (m == null) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "stream " + key + " has no mapping onto an object");
            }
            InsertionMethod method = InsertionMethod.fromWireName(m.getInsertionMethod()).orElseThrow(() ->
                    new ConnectorException(ConnectorException.Type.CONFIG, "unknown insertion method " + m.getInsertionMethod()));
            Map<String, Field> objectFields = new HashMap<>();
            for (Field f : CatalogAvro.fieldsFromAvro(m.getObjectFields())) {
                objectFields.put(f.name(), f);
            }
            List<RecordMapper.Rule> rules = new ArrayList<>();
            List<Field> fields = new ArrayList<>();
            for (var fm : m.getFieldMappings()) {
                // an object discovered before its fields travelled with the mapping: nullable text, the database decides
                Field target = objectFields.getOrDefault(fm.getDestination(), Field.of(fm.getDestination(), FieldType.STRING));
                rules.add(new RecordMapper.Rule(fm.getSource(), target, fm.getFormat()));
                fields.add(target);
            }
            plans.put(key, new StreamPlan(key, s.stream().namespace(), s.stream().name(), new RecordMapper(rules, m.getMatchingKey()), m.getDestinationObject(), method,
                    List.copyOf(m.getMatchingKey()), s.primaryKey()));
            write.add(new ConfiguredStream(s.stream(), fields, s.syncMode(), s.destinationSyncMode(), s.cursorField(),
                    s.primaryKey(), m.getObjectNamespace(), m.getDestinationObject(), method, m.getMatchingKey()));
        }
        return new Activation(plans, new ConfiguredCatalog(write));
    }

    /** What the destination is opened with: the objects and the fields mapped onto them. */
    ConfiguredCatalog writeCatalog() {
        return writeCatalog;
    }

    StreamPlan plan(String qualifiedStream) {
        return plans.get(qualifiedStream);
    }

    Iterable<StreamPlan> plans() {
        return plans.values();
    }
}
