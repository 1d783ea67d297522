package io.cnm4j.examples.fleet;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes of the map's small values as tab-separated UTF-8 text: readable in the changelog and
 * repartition topics, and no serialization framework to add. Stateless.
 */
final class TextSerde {
    private TextSerde() {
    }

    static <T> Serde<T> of(Function<T, String> encode, Function<String, T> decode) {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : encode.apply(value).getBytes(StandardCharsets.UTF_8),
                (topic, bytes) -> bytes == null ? null : decode.apply(new String(bytes, StandardCharsets.UTF_8)));
    }

    /** A label without the separators of the encoding. */
    static String clean(String label) {
        return label.replace('\t', ' ').replace('\n', ' ');
    }
}
