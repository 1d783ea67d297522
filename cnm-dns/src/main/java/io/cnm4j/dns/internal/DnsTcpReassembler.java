package io.cnm4j.dns.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * Cuts the byte stream of one direction of one DNS-over-TCP connection into DNS messages, each of
 * which is preceded by a two-byte big-endian length (RFC 1035 §4.2.2, RFC 7766).
 *
 * <p>Segments must be given in stream order, without their TCP/IP headers. A segment may hold
 * several messages, and a message may span several segments; complete messages inside one segment
 * are handed out as slices of it without copying, and only a message that spans segments is
 * buffered, in at most {@code 2 + maxMessageLength} bytes.
 *
 * <p>A length that cannot be a DNS message (shorter than its 12-byte header, or over the maximum),
 * or a message the handler rejects, means the stream is out of step (for instance after a lost
 * segment): the reassembler then drops what it buffered and the rest of the segment, counts a
 * {@linkplain #resets() reset}, and starts afresh with the next segment, where a new message most
 * likely begins.
 *
 * <p>Not thread-safe: one instance per flow direction, used by one capture thread.
 */
final class DnsTcpReassembler {
    /** Largest message a two-byte length can announce. */
    public static final int MAX_DNS_MESSAGE_LENGTH = 0xFFFF;

    private static final int LENGTH_PREFIX = 2;
    private static final int DNS_HEADER_LENGTH = 12;
    // Buffers grown for a large message are released afterwards so that idle flows stay small.
    private static final int RETAINED_BUFFER_BYTES = 1024;
    // Returned instead of a byte count when garbage dropped the rest of the segment.
    private static final int STREAM_RESET = -1;

    /** Receives each complete message; the bytes are only valid during the call. */
    @FunctionalInterface
    public interface MessageHandler {
        /**
         * @param buffer holds the message (without its length prefix)
         * @param offset index of the message's first byte
         * @param length length of the message in bytes
         * @return false when the bytes are not a DNS message, which resets the stream
         */
        boolean onMessage(byte[] buffer, int offset, int length);
    }

    private final int maxMessageLength;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private long resets;

    /** A reassembler that accepts messages of any length a TCP length prefix can announce. */
    public DnsTcpReassembler() {
        this(MAX_DNS_MESSAGE_LENGTH);
    }

    /** A reassembler that treats messages longer than {@code maxMessageLength} bytes as garbage. */
    public DnsTcpReassembler(int maxMessageLength) {
        if (maxMessageLength < DNS_HEADER_LENGTH || maxMessageLength > MAX_DNS_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("maxMessageLength must be in " + DNS_HEADER_LENGTH + ".."
                    + MAX_DNS_MESSAGE_LENGTH + ": " + maxMessageLength);
        }
        this.maxMessageLength = maxMessageLength;
    }

    /** Feeds the payload {@code segment[offset, offset + length)} and hands every completed message to {@code handler}. */
    public void accept(byte[] segment, int offset, int length, MessageHandler handler) {
        Objects.checkFromIndexSize(offset, length, segment.length);
        int position = offset;
        int end = offset + length;
        while (position < end) {
            int consumed = pendingLength == 0
                    ? consumeFromSegment(segment, position, end, handler)
                    : consumeIntoPending(segment, position, end, handler);
            if (consumed == STREAM_RESET) {
                return;
            }
            position += consumed;
        }
    }

    /** Forgets any partial message without counting a reset, for when the connection ends or restarts. */
    public void clear() {
        releaseBuffer();
    }

    /** Times garbage made this reassembler drop the stream and start afresh. */
    public long resets() {
        return resets;
    }

    /** Bytes of a partial message held until its next segment arrives, length prefix included. */
    public int bufferedBytes() {
        return pendingLength;
    }

    /** Delivers the frame at {@code position} straight from the segment, or buffers its start; returns bytes used. */
    private int consumeFromSegment(byte[] segment, int position, int end, MessageHandler handler) {
        int available = end - position;
        if (available < LENGTH_PREFIX) {
            ensureCapacity(LENGTH_PREFIX);
            buffer(segment, position, available);
            return available;
        }
        int messageLength = readLength(segment, position);
        if (!isPlausible(messageLength)) {
            return resetStream();
        }
        if (available - LENGTH_PREFIX < messageLength) {
            ensureCapacity(LENGTH_PREFIX + messageLength);
            buffer(segment, position, available);
            return available;
        }
        if (!handler.onMessage(segment, position + LENGTH_PREFIX, messageLength)) {
            return resetStream();
        }
        return LENGTH_PREFIX + messageLength;
    }

    /** Adds segment bytes to the buffered frame and delivers it once complete; returns bytes used. */
    private int consumeIntoPending(byte[] segment, int position, int end, MessageHandler handler) {
        if (pendingLength < LENGTH_PREFIX) {
            buffer(segment, position, 1);
            int messageLength = readLength(pending, 0);
            if (!isPlausible(messageLength)) {
                return resetStream();
            }
            ensureCapacity(LENGTH_PREFIX + messageLength);
            return 1;
        }
        int frameLength = LENGTH_PREFIX + readLength(pending, 0);
        int taken = Math.min(frameLength - pendingLength, end - position);
        buffer(segment, position, taken);
        if (pendingLength == frameLength) {
            boolean accepted = handler.onMessage(pending, LENGTH_PREFIX, frameLength - LENGTH_PREFIX);
            releaseBuffer();
            if (!accepted) {
                return resetStream();
            }
        }
        return taken;
    }

    private boolean isPlausible(int messageLength) {
        return messageLength >= DNS_HEADER_LENGTH && messageLength <= maxMessageLength;
    }

    private void ensureCapacity(int bytes) {
        if (pending.length < bytes) {
            pending = Arrays.copyOf(pending, bytes);
        }
    }

    private void buffer(byte[] source, int offset, int length) {
        System.arraycopy(source, offset, pending, pendingLength, length);
        pendingLength += length;
    }

    private int resetStream() {
        releaseBuffer();
        resets++;
        return STREAM_RESET;
    }

    private void releaseBuffer() {
        pendingLength = 0;
        if (pending.length > RETAINED_BUFFER_BYTES) {
            pending = new byte[0];
        }
    }

    private static int readLength(byte[] buffer, int position) {
        return ((buffer[position] & 0xFF) << 8) | (buffer[position + 1] & 0xFF);
    }
}
