package io.cnm4j.dns.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DNS-over-TCP flow directions being reassembled, each with its {@link DnsTcpReassembler} and
 * the next expected sequence number, bounded in number: the least recently used direction is
 * evicted to make room, and counted.
 *
 * <p>Segments are admitted by sequence number so that what the capture sees twice (a TCP
 * retransmission) is not fed twice, and what it missed (a gap) restarts the reassembly instead of
 * splicing unrelated bytes together. Sequence numbers compare modulo 2^32 (RFC 793 §3.3).
 *
 * <p>Allocates a key per segment and a reassembler per new direction: DNS over TCP is a small share
 * of DNS traffic. Not thread-safe: owned by one {@link DnsTrafficProcessor}.
 */
final class TcpStreamTable {
    private final int capacity;
    // Access order: the eldest entry is the least recently used direction.
    private final LinkedHashMap<StreamKey, Stream> streams = new LinkedHashMap<>(16, 0.75f, true);
    private Stream current;
    private long evicted;
    private long resetsOfRemovedStreams;
    private long gaps;
    private long retransmissions;

    TcpStreamTable(int capacity) {
        this.capacity = capacity;
    }

    /** Starts the direction of {@code flow} afresh (a SYN), expecting data at {@code nextSequence}. */
    void restart(DnsPacketFlow flow, int nextSequence, long nowNanos) {
        Stream stream = streams.get(StreamKey.of(flow));
        if (stream == null) {
            stream = insert(StreamKey.of(flow));
        } else {
            stream.reassembler.clear();
        }
        stream.nextSequence = nextSequence;
        stream.lastSeenNanos = nowNanos;
    }

    /**
     * Admits a segment of {@code length > 0} bytes starting at {@code sequence}, creating the
     * direction when unknown, and makes its reassembler {@link #reassembler() current}.
     *
     * @return the offset within the segment of the first new byte, or -1 when every byte was seen before
     */
    int admit(DnsPacketFlow flow, int sequence, int length, long nowNanos) {
        StreamKey key = StreamKey.of(flow);
        Stream stream = streams.get(key);
        if (stream == null) {
            stream = insert(key);
            stream.nextSequence = sequence;
        }
        stream.lastSeenNanos = nowNanos;
        int ahead = sequence - stream.nextSequence;
        int from = 0;
        if (ahead < 0) {
            if (ahead + length <= 0) {
                retransmissions++;
                return -1;
            }
            // Overlaps what was seen: keep only the new tail.
            from = -ahead;
        } else if (ahead > 0) {
            gaps++;
            stream.reassembler.clear();
        }
        stream.nextSequence = sequence + length;
        current = stream;
        return from;
    }

    /** The reassembler of the direction last admitted. */
    DnsTcpReassembler reassembler() {
        return current.reassembler;
    }

    /** Forgets the direction of {@code flow} (a FIN). */
    void remove(DnsPacketFlow flow) {
        forget(streams.remove(StreamKey.of(flow)));
    }

    /** Forgets both directions of the connection of {@code flow} (an RST). */
    void removeConnection(DnsPacketFlow flow) {
        StreamKey key = StreamKey.of(flow);
        forget(streams.remove(key));
        forget(streams.remove(key.reversed()));
    }

    /** Forgets directions without a segment since {@code oldestKeptNanos}. */
    void removeIdle(long oldestKeptNanos) {
        for (Iterator<Stream> it = streams.values().iterator(); it.hasNext(); ) {
            Stream stream = it.next();
            if (stream.lastSeenNanos - oldestKeptNanos < 0) {
                it.remove();
                forget(stream);
            }
        }
    }

    int size() {
        return streams.size();
    }

    /** Directions evicted to make room for new ones. */
    long evicted() {
        return evicted;
    }

    /** Times a reassembler dropped its stream because the bytes could not be DNS messages. */
    long reassemblerResets() {
        long resets = resetsOfRemovedStreams;
        for (Stream stream : streams.values()) {
            resets += stream.reassembler.resets();
        }
        return resets;
    }

    /** Segments that began after bytes the capture never saw. */
    long gaps() {
        return gaps;
    }

    /** Segments whose every byte had been seen already. */
    long retransmissions() {
        return retransmissions;
    }

    private Stream insert(StreamKey key) {
        if (streams.size() >= capacity) {
            Iterator<Stream> eldest = streams.values().iterator();
            forget(eldest.next());
            eldest.remove();
            evicted++;
        }
        Stream stream = new Stream();
        streams.put(key, stream);
        return stream;
    }

    private void forget(Stream stream) {
        if (stream != null) {
            resetsOfRemovedStreams += stream.reassembler.resets();
            if (stream == current) {
                current = null;
            }
        }
    }

    private record StreamKey(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int ports) {
        static StreamKey of(DnsPacketFlow flow) {
            return new StreamKey(flow.sourceHigh(), flow.sourceLow(), flow.destinationHigh(), flow.destinationLow(),
                    (flow.sourcePort() << 16) | flow.destinationPort());
        }

        StreamKey reversed() {
            return new StreamKey(destinationHigh, destinationLow, sourceHigh, sourceLow, (ports << 16) | (ports >>> 16));
        }
    }

    private static final class Stream {
        final DnsTcpReassembler reassembler = new DnsTcpReassembler();
        int nextSequence;
        long lastSeenNanos;
    }
}
