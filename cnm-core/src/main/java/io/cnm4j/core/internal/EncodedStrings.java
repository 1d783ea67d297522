package io.cnm4j.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bounded cache of strings already escaped and encoded as a JSON generator of one factory
 * writes them, so that tag keys and values and DNS names, which repeat from line to line, are
 * escaped once and then copied: {@link #get} returns the encoded string, or null when the string
 * is not cached (the caller then writes it as usual).
 *
 * <p>Direct-mapped by {@link String#hashCode()}: {@code slots} entries of at most
 * {@value #MAX_CACHED_LENGTH} characters each. A string is encoded only when asked for twice in a
 * row at its slot, so that strings seen once (a connection's own container id, say) cost a
 * reference store, not an encoding, and do not evict the ones that repeat.
 *
 * <p>The encoded form holds the string with lone surrogates replaced ({@link JsonLineEscapes#sanitize})
 * and escaped by the factory's character escapes, both as UTF-8 and as characters, which is what
 * {@link JsonGenerator#writeString(SerializableString)} and
 * {@link JsonGenerator#writeFieldName(SerializableString)} copy. Not thread-safe.
 */
public final class EncodedStrings {
    /** Longer strings are not cached: they bound the cache's size and rarely repeat. */
    public static final int MAX_CACHED_LENGTH = 256;

    private final Encoded[] encoded;
    private final String[] candidates;
    private final int mask;
    private final ByteArrayOutputStream encoderOutput = new ByteArrayOutputStream();
    private final JsonGenerator encoder;

    /**
     * A cache for strings written by generators of {@code factory}.
     *
     * @param factory the factory whose escapes the encoded strings must carry
     * @param slots the number of entries, a power of two
     */
    public EncodedStrings(JsonFactory factory, int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        encoded = new Encoded[slots];
        candidates = new String[slots];
        mask = slots - 1;
        try {
            encoder = factory.createGenerator(encoderOutput);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create JSON string encoder", e);
        }
    }

    /**
     * The encoded form of {@code s}, or null when it is not cached yet or too long to cache.
     *
     * @param s the string as given, lone surrogates included
     * @return the encoded string, whose value is {@code s} sanitized, or null
     */
    public SerializableString get(String s) {
        int slot = s.hashCode() & mask;
        Encoded hit = encoded[slot];
        if (hit != null && (hit.source == s || hit.source.equals(s))) {
            return hit;
        }
        if (s.length() > MAX_CACHED_LENGTH) {
            return null;
        }
        String candidate = candidates[slot];
        if (candidate == null || candidate != s && !candidate.equals(s)) {
            candidates[slot] = s;
            return null;
        }
        candidates[slot] = null;
        Encoded entry = encode(s);
        encoded[slot] = entry;
        return entry;
    }

    private Encoded encode(String s) {
        String value = JsonLineEscapes.sanitize(s);
        encoderOutput.reset();
        try {
            encoder.writeString(value);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a JSON string in memory", e);
        }
        byte[] quoted = encoderOutput.toByteArray();
        // Without the surrounding quotes, which the generator adds itself, and any root value separator
        // before them: the first quote opens the string (one inside it is escaped), the last byte closes it.
        int opening = 0;
        while (quoted[opening] != '"') {
            opening++;
        }
        byte[] utf8 = Arrays.copyOfRange(quoted, opening + 1, quoted.length - 1);
        return new Encoded(s, value, utf8, new String(utf8, StandardCharsets.UTF_8).toCharArray());
    }

    /** A string with its escaped forms set up front, in place of the standard escapes jackson would compute. */
    private static final class Encoded extends SerializedString {
        private final String source;

        Encoded(String source, String value, byte[] escapedUtf8, char[] escapedChars) {
            super(value);
            this.source = source;
            _quotedUTF8Ref = escapedUtf8;
            _quotedChars = escapedChars;
        }
    }
}
