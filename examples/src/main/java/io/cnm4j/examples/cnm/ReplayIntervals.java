package io.cnm4j.examples.cnm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts the collections a replay file lasts: each collection replays the lines up to the next
 * {@code {"event":"tick"}}, so a file lasts one collection per tick, plus one for lines after
 * the last tick.
 */
final class ReplayIntervals {
    private static final JsonFactory JSON = new JsonFactory();

    private ReplayIntervals() {
    }

    /** The number of collections that replay the whole file; at least 1. */
    static int count(Path file) {
        int ticks = 0;
        boolean pending = false;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (isTick(line)) {
                    ticks++;
                    pending = false;
                } else {
                    pending = true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read replay file " + file, e);
        }
        return Math.max(1, ticks + (pending ? 1 : 0));
    }

    private static boolean isTick(String line) {
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("event")) {
                    return value == JsonToken.VALUE_STRING && parser.getText().equalsIgnoreCase("tick");
                }
                parser.skipChildren();
            }
            return false;
        } catch (IOException malformed) {
            // The replay backend skips and counts malformed lines; they end no interval.
            return false;
        }
    }
}
