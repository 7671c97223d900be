package dev.syncline.connectors.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows of one CSV or JSON-lines file, streamed (one row in memory at a time), as field → raw value. */
final class RowFiles {
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private RowFiles() { }

    /** An open iterator over the file's rows; close the returned closeable when done. */
    interface Rows extends Iterator<Map<String, Object>>, AutoCloseable {
        @Override
        void close() throws IOException;
    }

    static Rows open(FilesConfig cfg, Path file) throws IOException {
        // the path was resolved and checked: a link swapped in since is not followed
        Reader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS),
                cfg.encoding().newDecoder()), 1 << 16);
        if (cfg.format().equals("jsonl")) {
            MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(in);
            return new Rows() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Map<String, Object> next() {
                    JsonNode n = it.next();
                    Map<String, Object> row = new LinkedHashMap<>();
                    n.properties().forEach(e -> row.put(e.getKey(), jsonValue(e.getValue())));
                    return row;
                }

                @Override
                public void close() throws IOException {
                    it.close();
                }
            };
        }
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(cfg.delimiter()).withQuoteChar(cfg.quote());
        ObjectReader reader;
        if (cfg.header()) {
            reader = CSV.readerFor(Map.class).with(schema.withHeader());
            MappingIterator<Map<String, String>> it = reader.readValues(in);
            return csvRows(it);
        }
        reader = CSV.readerFor(List.class).with(schema.withoutHeader()).with(CsvParser.Feature.WRAP_AS_ARRAY);
        MappingIterator<List<String>> it = reader.readValues(in);
        return new Rows() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                List<String> values = it.next();
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < values.size(); i++) {
                    row.put("column_" + (i + 1), emptyAsNull(values.get(i)));
                }
                return row;
            }

            @Override
            public void close() throws IOException {
                it.close();
            }
        };
    }

    private static Rows csvRows(MappingIterator<Map<String, String>> it) {
        return new Rows() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                Map<String, Object> row = new LinkedHashMap<>();
                it.next().forEach((k, v) -> row.put(k, emptyAsNull(v)));
                return row;
            }

            @Override
            public void close() throws IOException {
                it.close();
            }
        };
    }

    private static Object emptyAsNull(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    /** JSON as the JSON-like Java values records carry. */
    static Object jsonValue(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual()) {
            return n.asText();
        }
        return JSON.convertValue(n, Object.class); // objects and arrays: Map and List
    }
}
