package io.cnm4j.tagging.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON into plain maps, lists, strings, numbers and booleans with jackson-core (the module
 * does not pull a data-binding library for a few documents a minute), and navigates them
 * leniently: a missing or mistyped member reads as empty.
 */
final class JsonTree {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_DEPTH = 64;

    private JsonTree() {
    }

    public static Object read(InputStream in) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IOException("empty JSON document");
            }
            return value(p, 0);
        }
    }

    public static Object read(byte[] bytes) throws IOException {
        return read(new java.io.ByteArrayInputStream(bytes));
    }

    private static Object value(JsonParser p, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("JSON nested deeper than " + MAX_DEPTH);
        }
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, value(p, depth + 1));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p, depth + 1));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected JSON token " + p.currentToken());
        };
    }

    /** A member object, empty when absent or not an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object node, String name) {
        Object value = node instanceof Map<?, ?> map ? map.get(name) : null;
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    /** A member array, empty when absent or not an array. */
    @SuppressWarnings("unchecked")
    public static List<Object> array(Object node, String name) {
        Object value = node instanceof Map<?, ?> map ? map.get(name) : null;
        return value instanceof List<?> ? (List<Object>) value : List.of();
    }

    /** A member string, "" when absent or not a string. */
    public static String string(Object node, String name) {
        Object value = node instanceof Map<?, ?> map ? map.get(name) : null;
        return value instanceof String s ? s : "";
    }

    /** A member boolean, false when absent or not a boolean. */
    public static boolean bool(Object node, String name) {
        Object value = node instanceof Map<?, ?> map ? map.get(name) : null;
        return Boolean.TRUE.equals(value);
    }

    /** A member object of strings (labels, selectors), non-strings skipped. */
    public static Map<String, String> strings(Object node, String name) {
        Map<String, String> result = new LinkedHashMap<>();
        object(node, name).forEach((k, v) -> {
            if (v instanceof String s) {
                result.put(k, s);
            }
        });
        return result;
    }
}
