package io.cnm4j.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLineBufferTest {
    @Test
    void numbersAreWrittenAsLongToStringAtEveryDigitCountAndBothEnds() throws IOException {
        // given: 0, every power of ten, one less and one more, the extremes, each also negated
        List<Long> values = new ArrayList<>(List.of(0L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1));
        for (long power = 1; power <= 1_000_000_000_000_000_000L; power *= 10) {
            values.addAll(List.of(power - 1, power, power + 1, -(power - 1), -power, -(power + 1)));
        }

        for (long value : values) {
            // when
            String written = written(buffer -> buffer.number(value));

            // then
            assertThat(written).as("%d", value).isEqualTo(Long.toString(value));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "9, 9",
        "9223372036854775807, 9223372036854775807",
        "-9223372036854775808, 9223372036854775808",
        "-9223372036854775807, 9223372036854775809",
        "-10, 18446744073709551606",
        "-1, 18446744073709551615"})
    void unsignedNumbersAreWrittenAsTheUnsigned64BitValue(long value, String expected) throws IOException {
        assertThat(written(buffer -> buffer.unsignedNumber(value))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // input as Java escapes | expected UTF-8 bytes in hex
        "a\\\"b\\\\c/d | 22615c22625c5c632f6422",
        "\\n\\r\\t\\b\\f | 225c6e5c725c745c625c6622",
        "\\u0000\\u001f | 225c75303030305c753030314622",
        "\\u007f | 225c753030374622",
        "\\u0080\\u0085\\u009f | 225c75303038305c75303038355c753030394622",
        "\\u00a0\\u00e9 | 22c2a0c3a922",
        "\\u2027\\u2028\\u2029\\u202a | 22e280a75c75323032385c7532303239e280aa22",
        "\\ud83d\\ude00 | 22f09f988022",
        "\\ud800 | 22efbfbd22",
        "\\udc00\\ud800 | 22efbfbdefbfbd22",
        "\\ud800\\ud800\\udc00 | 22efbfbdf090808022",
        "x\\ud83d\\ude00\\ude00 | 2278f09f9880efbfbd22",
        "\\uffff | 22efbfbf22"})
    void stringsAreEscapedForLineReadersAndEncodedAsUtf8(String javaEscaped, String expectedHex) throws IOException {
        // given
        String s = unescapeJava(javaEscaped.strip());

        // when
        byte[] bytes = bytes(buffer -> buffer.string(s));

        // then
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expectedHex.strip());
        assertThat(bytes).isEqualTo(FormerJsonEscapes.encode(s));
    }

    @Test
    void everyCharacterAloneIsEncodedAsTheFormerJacksonWriterDid() throws IOException {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            // given: the character between two letters, so lone surrogates have neighbours that are not halves
            String s = "a" + (char) c + "b";

            // when / then
            assertThat(bytes(buffer -> buffer.string(s))).as("U+%04X", c).isEqualTo(FormerJsonEscapes.encode(s));
        }
    }

    @Test
    void pairsAndLoneHalvesAtAStepBoundaryAreEncodedAsWhole() throws IOException {
        // given: 1,024 characters are escaped per step; halves at index 1,023 and 1,024
        String filler = "x".repeat(1023);
        List<String> strings = List.of(filler + "\uD83D\uDE00 tail", filler + "\uD83D", filler + "\uD83Dy",
                filler + "y\uDE00", filler + "\uDE00\uDE00", "\uD83D\uDE00".repeat(1500));

        for (String s : strings) {
            // when / then
            assertThat(bytes(buffer -> buffer.string(s))).isEqualTo(FormerJsonEscapes.encode(s));
        }
    }

    @Test
    void aStringLongerThanTheBufferIsHandedOverInPartsThatJoinExactly() throws IOException {
        // given: 3 times the buffer's capacity of mixed one- to six-byte encodings
        String unit = "ab\u00e9\u20ac\uD83D\uDE00\n\u2028\"\\\u0085";
        String s = unit.repeat(3 * JsonLineBuffer.CAPACITY / unit.length());
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        StringWriter writer = new StringWriter();

        // when
        JsonLineBuffer toStream = JsonLineBuffer.to(stream);
        toStream.string(s);
        toStream.flush();
        JsonLineBuffer toWriter = JsonLineBuffer.to(writer);
        toWriter.string(s);
        toWriter.flush();

        // then
        byte[] expected = FormerJsonEscapes.encode(s);
        assertThat(stream.toByteArray()).isEqualTo(expected);
        assertThat(writer.toString()).isEqualTo(new String(expected, UTF_8));
    }

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, \"0.0.0.0\"",
        "255.255.255.255, \"255.255.255.255\"",
        "10.0.12.34, \"10.0.12.34\"",
        "::, \"::\"",
        "::1, \"::1\"",
        "1::, \"1::\"",
        "2001:db8:0:1::1234, \"2001:db8:0:1::1234\"",
        "2001:db8:0:0:1:0:0:1, \"2001:db8::1:0:0:1\"",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, \"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\"",
        "2001:db8:0:1:1:1:1:1, \"2001:db8:0:1:1:1:1:1\"",
        "0:0:1:0:0:0:1:0, \"0:0:1::1:0\"",
        "fe80::1%1, \"fe80::1\""})
    void addressesAreWrittenQuotedInCanonicalForm(String input, String expected) throws IOException {
        // given
        byte[] address = InetAddress.getByName(input).getAddress();

        // when / then
        assertThat(written(buffer -> buffer.address(address, address.length))).isEqualTo(expected);
    }

    @Test
    void anIpv4MappedAddressInSixteenBytesIsWrittenInMixedNotation() throws IOException {
        // given
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, (byte) 255};

        // when / then
        assertThat(written(buffer -> buffer.address(mapped, 16))).isEqualTo("\"::ffff:192.0.2.255\"");
    }

    @Test
    void structureLiteralsAndQuotedAsciiAreCopiedAsGiven() throws IOException {
        // when
        String written = written(buffer -> {
            buffer.raw("{\"a\":".getBytes(UTF_8));
            buffer.bool(true);
            buffer.raw(',');
            buffer.nullValue();
            buffer.raw(',');
            buffer.bool(false);
            buffer.raw(',');
            buffer.quoted("1.2.3.4".getBytes(UTF_8));
            buffer.raw('}');
        });

        // then
        assertThat(written).isEqualTo("{\"a\":true,null,false,\"1.2.3.4\"}");
    }

    @Test
    void encodedPiecesOfEveryLengthUpToFortyAreCopiedWhole() throws IOException {
        for (int length = 0; length <= 40; length++) {
            // given: distinct bytes, so a piece copied from the wrong place shows
            byte[] piece = new byte[length];
            for (int i = 0; i < length; i++) {
                piece[i] = (byte) ('A' + i);
            }

            // when
            byte[] written = bytes(buffer -> {
                buffer.raw('<');
                buffer.raw(piece);
                buffer.quoted(piece);
                buffer.field(piece, -7);
            });

            // then
            String text = new String(piece, UTF_8);
            assertThat(new String(written, UTF_8)).as("length %d", length)
                    .isEqualTo("<" + text + "\"" + text + "\"" + text + "-7");
        }
    }

    private static String written(Writes writes) throws IOException {
        return new String(bytes(writes), UTF_8);
    }

    private static byte[] bytes(Writes writes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLineBuffer buffer = JsonLineBuffer.to(out);
        writes.to(buffer);
        buffer.flush();
        return out.toByteArray();
    }

    /** Java's {@code \"}, {@code \\}, {@code \n}-style and {@code \}{@code uXXXX} escapes, as CSV sources cannot hold raw controls. */
    private static String unescapeJava(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface Writes {
        void to(JsonLineBuffer buffer) throws IOException;
    }
}
