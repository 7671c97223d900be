package dev.syncline.kit.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON mapper of request and response bodies: the application's, plus a check of every string a request body
 * holds, nested objects and free-form JSON (a connector's configuration) included, values and field names alike: one
 * that cannot be stored as sent ({@link StorableText}) is a 400 naming the field. Only REST bodies: what a source emits
 * or a stored catalog holds is read by the application's own mapper, unchanged.
 */
@Provider
public class RestJson implements ContextResolver<ObjectMapper> {
    private final ObjectMapper mapper;

    @Inject
    public RestJson(ObjectMapper application) {
        this.mapper = application.copy().registerModule(module());
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return mapper;
    }

    /** The checks, as a Jackson module. */
    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("syncline-storable-text");
        m.addDeserializer(String.class, new CheckedString());
        m.addDeserializer(JsonNode.class, new CheckedTree<>(JsonNode.class));
        m.addDeserializer(ObjectNode.class, new CheckedTree<>(ObjectNode.class));
        m.addDeserializer(ArrayNode.class, new CheckedTree<>(ArrayNode.class));
        return m;
    }

    static final class CheckedString extends StdDeserializer<String> {
        CheckedString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            String problem = StorableText.problem(value);
            if (problem != null) {
                throw JsonMappingException.from(p, problem); // Jackson adds the path of the field on its way out
            }
            return value;
        }
    }

    static final class CheckedTree<T extends JsonNode> extends StdDeserializer<T> {
        private final JsonDeserializer<? extends JsonNode> tree;

        CheckedTree(Class<T> type) {
            super(type);
            this.tree = JsonNodeDeserializer.getDeserializer(type);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = tree.deserialize(p, ctxt);
            Deque<Object> path = new ArrayDeque<>();
            String problem = check(node, path);
            if (problem != null) {
                JsonMappingException e = JsonMappingException.from(p, problem);
                // the path inside this tree, innermost first: prepend from the innermost outwards
                for (Iterator<Object> it = path.iterator(); it.hasNext(); ) {
                    Object step = it.next();
                    e.prependPath(step instanceof Integer i ? new JsonMappingException.Reference(null, i)
                            : new JsonMappingException.Reference(null, (String) step));
                }
                throw e;
            }
            return (T) node;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            return (T) tree.getNullValue(ctxt);
        }

        /** The first problem in {@code node}; {@code path} then holds its place, innermost step first. */
        private static String check(JsonNode node, Deque<Object> path) {
            if (node.isTextual()) {
                return StorableText.problem(node.textValue());
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    String problem = StorableText.problem(f.getKey());
                    if (problem == null) {
                        problem = check(f.getValue(), path);
                    } else {
                        problem = "field name " + problem;
                    }
                    if (problem != null) {
                        path.addLast(StorableText.problem(f.getKey()) == null ? f.getKey() : "?");
                        return problem;
                    }
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    String problem = check(node.get(i), path);
                    if (problem != null) {
                        path.addLast(i);
                        return problem;
                    }
                }
            }
            return null;
        }
    }
}
