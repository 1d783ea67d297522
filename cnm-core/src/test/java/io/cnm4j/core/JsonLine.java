package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one JSON line back with jackson-core's parser, for tests of what {@link FlowJsonWriter} wrote. */
final class JsonLine {
    private static final JsonFactory PARSER_FACTORY = new JsonFactory();

    private JsonLine() {
    }

    /**
     * Parses one line into maps (in the line's key order), lists, strings, longs or BigIntegers,
     * booleans and nulls; a repeated key or anything after the object fails the test.
     */
    static Map<String, Object> parse(String line) throws IOException {
        try (JsonParser parser = PARSER_FACTORY.createParser(line)) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            @SuppressWarnings("unchecked")
            Map<String, Object> value = (Map<String, Object>) readValue(parser);
            assertThat(parser.nextToken()).as("content after the object").isNull();
            return value;
        }
    }

    private static Object readValue(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    assertThat(object).as("duplicate key").doesNotContainKey(name);
                    object.put(name, readValue(parser));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser));
                }
                yield array;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new AssertionError("unexpected token " + parser.currentToken());
        };
    }
}
