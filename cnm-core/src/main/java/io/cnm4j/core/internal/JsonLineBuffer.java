package io.cnm4j.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Composes JSON lines as UTF-8 bytes in one reused buffer and hands them to an output stream, or
 * decoded to a character writer, when the buffer fills or on {@link #flush()}: the JSON lines
 * writer's output, without a generator's per-value bookkeeping. The caller writes the structure
 * (braces, commas, pre-encoded field names) with {@link #raw}; this class writes values.
 *
 * <p>Strings are made safe for line-oriented consumers: quotes, backslashes and the control
 * characters U+0000..U+001F are escaped as JSON's standard escapes ({@code \"}, {@code \\},
 * {@code \b}, {@code \t}, {@code \n}, {@code \f}, {@code \r}, else <code>&#92;u00XX</code> with
 * upper-case hex); U+007F, the C1 controls U+0080..U+009F, U+2028 and U+2029 as <code>&#92;uXXXX</code>; lone UTF-16
 * surrogates, which have no UTF-8 encoding, become U+FFFD; every other character, a valid
 * surrogate pair too, is written as UTF-8. That is byte for byte what jackson-core's UTF-8
 * generator wrote with the character escapes this project used before.
 *
 * <p>The buffer is handed over only between two characters, never within one, so a writer target
 * gets whole characters. Not thread-safe.
 */
public final class JsonLineBuffer {
    /** Bytes buffered before they are handed to the target: few writes, and well within a CPU cache. */
    public static final int CAPACITY = 64 * 1024;

    /** Characters of a string escaped per step: at most 6 bytes each, so a step always fits the buffer. */
    private static final int STRING_STEP = 1024;
    private static final int MAX_BYTES_PER_CHAR = 6;
    /** {@code Long.MIN_VALUE} as an unsigned number has 19 digits, {@code -1L} 20. */
    private static final int MAX_NUMBER_LENGTH = 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final byte[] DIGIT_PAIRS = digitPairs();
    /** 10^0 .. 10^9: every power of ten an int holds. */
    private static final int[] POWERS_OF_TEN = powersOfTen();
    private static final long BILLION = 1_000_000_000L;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    /** Per ASCII character: 0 written as is, 'u' as <code>&#92;u00XX</code>, else the letter after the backslash. */
    private static final byte[] ASCII_ESCAPES = asciiEscapes();
    private static final int FIRST_C1 = 0x80;
    private static final int LAST_C1 = 0x9F;
    private static final int LINE_SEPARATOR = 0x2028;
    private static final int PARAGRAPH_SEPARATOR = 0x2029;
    private static final int REPLACEMENT_CHARACTER = 0xFFFD;

    private final OutputStream out;
    private final Writer writer;
    private final byte[] bytes = new byte[CAPACITY];
    private final char[] chars = new char[STRING_STEP];
    private int size;

    private JsonLineBuffer(OutputStream out, Writer writer) {
        this.out = out;
        this.writer = writer;
    }

    /** A buffer that hands its bytes to {@code out}. */
    public static JsonLineBuffer to(OutputStream out) {
        return new JsonLineBuffer(out, null);
    }

    /** A buffer that hands its text, decoded from UTF-8, to {@code writer}. */
    public static JsonLineBuffer to(Writer writer) {
        return new JsonLineBuffer(null, writer);
    }

    /** Appends bytes already encoded, such as a field name with its quotes and colon; at most {@link #CAPACITY}. */
    public void raw(byte[] encoded) throws IOException {
        ensure(encoded.length);
        size = copy(encoded, bytes, size);
    }

    /** Appends one ASCII character. */
    public void raw(char ascii) throws IOException {
        ensure(1);
        bytes[size++] = (byte) ascii;
    }

    /** Appends {@code null}. */
    public void nullValue() throws IOException {
        raw(NULL);
    }

    /** Appends {@code true} or {@code false}. */
    public void bool(boolean value) throws IOException {
        raw(value ? TRUE : FALSE);
    }

    /** Appends bytes already encoded, such as {@code ,"name":}, then {@code value} in decimal. */
    public void field(byte[] name, long value) throws IOException {
        ensure(name.length + MAX_NUMBER_LENGTH + 1);
        size = copy(name, bytes, size);
        appendSigned(value);
    }

    /** Appends {@code value} in decimal, with a minus sign when negative. */
    public void number(long value) throws IOException {
        ensure(MAX_NUMBER_LENGTH + 1);
        appendSigned(value);
    }

    private void appendSigned(long value) {
        if (value < 0) {
            bytes[size++] = '-';
            // -Long.MIN_VALUE is Long.MIN_VALUE again, whose unsigned value is the magnitude wanted.
            value = -value;
        }
        size = appendUnsigned(value, bytes, size);
    }

    /** Appends {@code value} as an unsigned 64-bit decimal, as {@link Long#toUnsignedString(long)} does. */
    public void unsignedNumber(long value) throws IOException {
        ensure(MAX_NUMBER_LENGTH);
        size = appendUnsigned(value, bytes, size);
    }

    /** Appends the address whose bytes are {@code address[0..length)} as a quoted string ({@link AddressText}). */
    public void address(byte[] address, int length) throws IOException {
        ensure(AddressText.MAX_LENGTH + 2);
        bytes[size++] = '"';
        size = AddressText.format(address, length, bytes, size);
        bytes[size++] = '"';
    }

    /** Appends ASCII text that needs no escaping, such as an address's, as a quoted string. */
    public void quoted(byte[] ascii) throws IOException {
        ensure(ascii.length + 2);
        bytes[size++] = '"';
        size = copy(ascii, bytes, size);
        bytes[size++] = '"';
    }

    /** Appends {@code s} as a quoted JSON string, escaped as described on this class. */
    public void string(String s) throws IOException {
        raw('"');
        int length = s.length();
        for (int from = 0; from < length; ) {
            int to = Math.min(length, from + STRING_STEP);
            s.getChars(from, to, chars, 0);
            ensure((to - from) * MAX_BYTES_PER_CHAR);
            from = appendChars(s, from, to);
        }
        raw('"');
    }

    /** Hands what is buffered to the target, without flushing the target. */
    public void push() throws IOException {
        if (size == 0) {
            return;
        }
        if (out != null) {
            out.write(bytes, 0, size);
        } else {
            writer.write(new String(bytes, 0, size, StandardCharsets.UTF_8));
        }
        size = 0;
    }

    /** Hands what is buffered to the target and flushes the target. */
    public void flush() throws IOException {
        push();
        if (out != null) {
            out.flush();
        } else {
            writer.flush();
        }
    }

    private void ensure(int room) throws IOException {
        if (size + room > bytes.length) {
            push();
        }
    }

    /**
     * Encodes {@code s[from..to)}, copied in {@link #chars}; returns where the next step starts, past
     * {@code to} when a pair's low half lay there.
     */
    private int appendChars(String s, int from, int to) {
        byte[] b = bytes;
        int at = size;
        int i = from;
        for (; i < to; i++) {
            int c = chars[i - from];
            if (c < 0x80) {
                byte escape = ASCII_ESCAPES[c];
                if (escape == 0) {
                    b[at++] = (byte) c;
                } else if (escape == 'u') {
                    at = appendUnicodeEscape(c, b, at);
                } else {
                    b[at++] = '\\';
                    b[at++] = escape;
                }
            } else if (c < 0x800) {
                if (c <= LAST_C1) {
                    at = appendUnicodeEscape(c, b, at);
                } else {
                    b[at++] = (byte) (0xC0 | c >> 6);
                    b[at++] = (byte) (0x80 | c & 0x3F);
                }
            } else if (Character.isSurrogate((char) c)) {
                char low = i + 1 < s.length() ? s.charAt(i + 1) : 0;
                if (Character.isHighSurrogate((char) c) && Character.isLowSurrogate(low)) {
                    int codePoint = Character.toCodePoint((char) c, low);
                    b[at++] = (byte) (0xF0 | codePoint >> 18);
                    b[at++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                    b[at++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                    b[at++] = (byte) (0x80 | codePoint & 0x3F);
                    i++;
                } else {
                    at = appendThreeBytes(REPLACEMENT_CHARACTER, b, at);
                }
            } else if (c == LINE_SEPARATOR || c == PARAGRAPH_SEPARATOR) {
                at = appendUnicodeEscape(c, b, at);
            } else {
                at = appendThreeBytes(c, b, at);
            }
        }
        size = at;
        return i;
    }

    /**
     * Copies {@code from} to {@code to[at]}, returns the index after it. The pieces of a line are
     * short (field names of 7 to 26 bytes): eight bytes at a time, the last eight overlapping the
     * previous ones, costs less than {@link System#arraycopy}'s call.
     */
    private static int copy(byte[] from, byte[] to, int at) {
        int length = from.length;
        if (length < Long.BYTES) {
            for (int i = 0; i < length; i++) {
                to[at + i] = from[i];
            }
            return at + length;
        }
        for (int i = 0; i < length - Long.BYTES; i += Long.BYTES) {
            LONGS.set(to, at + i, (long) LONGS.get(from, i));
        }
        LONGS.set(to, at + length - Long.BYTES, (long) LONGS.get(from, length - Long.BYTES));
        return at + length;
    }

    private static int appendThreeBytes(int c, byte[] b, int at) {
        b[at] = (byte) (0xE0 | c >> 12);
        b[at + 1] = (byte) (0x80 | c >> 6 & 0x3F);
        b[at + 2] = (byte) (0x80 | c & 0x3F);
        return at + 3;
    }

    private static int appendUnicodeEscape(int c, byte[] b, int at) {
        b[at] = '\\';
        b[at + 1] = 'u';
        b[at + 2] = HEX[c >> 12 & 0xF];
        b[at + 3] = HEX[c >> 8 & 0xF];
        b[at + 4] = HEX[c >> 4 & 0xF];
        b[at + 5] = HEX[c & 0xF];
        return at + 6;
    }

    /** Writes {@code value}, read as unsigned, in decimal at {@code b[at]}; returns the index after it. */
    private static int appendUnsigned(long value, byte[] b, int at) {
        if (value >= 0 && value <= Integer.MAX_VALUE) {
            return appendInt((int) value, b, at);
        }
        // Nine digits at a time in int arithmetic, cheaper than long division by 100 per pair.
        long high = Long.divideUnsigned(value, BILLION);
        at = appendUnsigned(high, b, at);
        return appendNineDigits((int) (value - high * BILLION), b, at);
    }

    private static int appendInt(int value, byte[] b, int at) {
        if (value < 10) {
            b[at] = (byte) ('0' + value);
            return at + 1;
        }
        int end = at + digits(value);
        int i = end;
        while (value >= 100) {
            int quotient = value / 100;
            int pair = (value - quotient * 100) * 2;
            b[--i] = DIGIT_PAIRS[pair + 1];
            b[--i] = DIGIT_PAIRS[pair];
            value = quotient;
        }
        if (value >= 10) {
            b[--i] = DIGIT_PAIRS[value * 2 + 1];
            b[--i] = DIGIT_PAIRS[value * 2];
        } else {
            b[--i] = (byte) ('0' + value);
        }
        return end;
    }

    /** Writes {@code value} (below 10^9) as exactly nine digits, with leading zeros. */
    private static int appendNineDigits(int value, byte[] b, int at) {
        int i = at + 9;
        for (int pairs = 0; pairs < 4; pairs++) {
            int quotient = value / 100;
            int pair = (value - quotient * 100) * 2;
            b[--i] = DIGIT_PAIRS[pair + 1];
            b[--i] = DIGIT_PAIRS[pair];
            value = quotient;
        }
        b[at] = (byte) ('0' + value);
        return at + 9;
    }

    /** Decimal digits of a positive {@code value}: from its bit length (1233 / 4096 ≈ log10 2), then one check. */
    private static int digits(int value) {
        int guess = (32 - Integer.numberOfLeadingZeros(value)) * 1233 >>> 12;
        return value >= POWERS_OF_TEN[guess] ? guess + 1 : guess;
    }

    private static int[] powersOfTen() {
        int[] powers = new int[10];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++) {
            powers[i] = powers[i - 1] * 10;
        }
        return powers;
    }

    private static byte[] digitPairs() {
        byte[] pairs = new byte[200];
        for (int i = 0; i < 100; i++) {
            pairs[2 * i] = (byte) ('0' + i / 10);
            pairs[2 * i + 1] = (byte) ('0' + i % 10);
        }
        return pairs;
    }

    private static byte[] asciiEscapes() {
        byte[] escapes = new byte[0x80];
        for (int c = 0; c < 0x20; c++) {
            escapes[c] = 'u';
        }
        escapes['\b'] = 'b';
        escapes['\t'] = 't';
        escapes['\n'] = 'n';
        escapes['\f'] = 'f';
        escapes['\r'] = 'r';
        escapes['"'] = '"';
        escapes['\\'] = '\\';
        escapes[0x7F] = 'u';
        return escapes;
    }
}
