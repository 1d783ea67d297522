package io.cnm4j.core.internal;

import java.security.SecureRandom;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012) under a secret key, for hashing values that others
 * choose: peers pick their addresses, so with an unkeyed (let alone invertible) mix a sender could
 * pick values whose hashes cluster in a table or equal another flow's id. Under a secret 128-bit
 * key the hashes of chosen values are unpredictable, so neither can be aimed at.
 *
 * <p>{@link #flowId} derives the id of a flow that a socket cookie alone does not identify (one peer
 * of an unconnected UDP socket); {@link #hash} serves hash codes of keys built from such values.
 *
 * <p>Immutable and thread-safe. {@link #PROCESS} holds a key drawn once per process from
 * {@link SecureRandom}; hashes are therefore only comparable within one process, which is all the
 * state engine and hash maps need.
 */
public final class KeyedHash {
    /** The instance every backend of this process uses, keyed with a random secret. */
    public static final KeyedHash PROCESS = random();

    private static final int MESSAGE_BYTES = 32;

    private final long key0;
    private final long key1;

    /** Ids under the 128-bit key {@code key0 | key1 << 64} (each half read little-endian, as SipHash does). */
    public KeyedHash(long key0, long key1) {
        this.key0 = key0;
        this.key1 = key1;
    }

    private static KeyedHash random() {
        SecureRandom random = new SecureRandom();
        return new KeyedHash(random.nextLong(), random.nextLong());
    }

    /**
     * The id of the flow between the socket {@code cookie} and one peer: the hash of the four
     * words cookie, the two halves of the peer's IPv6 (or IPv4-mapped) address, the peer port.
     *
     * @param peerHigh first 8 bytes of the peer address, as one little-endian word
     * @param peerLow  last 8 bytes of the peer address, as one little-endian word
     * @param peerPort the peer's port
     */
    public long flowId(long cookie, long peerHigh, long peerLow, int peerPort) {
        return hash(cookie, peerHigh, peerLow, peerPort & 0xFFFFL);
    }

    /** SipHash-2-4 of the 32-byte message made of the four little-endian words {@code m0..m3}. */
    public long hash(long m0, long m1, long m2, long m3) {
        long v0 = key0 ^ 0x736f6d6570736575L;
        long v1 = key1 ^ 0x646f72616e646f6dL;
        long v2 = key0 ^ 0x6c7967656e657261L;
        long v3 = key1 ^ 0x7465646279746573L;
        // Five compressed words (the last holds only the length, 32 bytes leave no tail), then four
        // finalisation rounds; locals only, so that deriving an id allocates nothing.
        for (int step = 0; step < 6; step++) {
            long word = switch (step) {
                case 0 -> m0;
                case 1 -> m1;
                case 2 -> m2;
                case 3 -> m3;
                default -> (long) MESSAGE_BYTES << 56;
            };
            int rounds = 2;
            if (step < 5) {
                v3 ^= word;
            } else {
                v2 ^= 0xff;
                rounds = 4;
            }
            for (int r = 0; r < rounds; r++) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13);
                v1 ^= v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16);
                v3 ^= v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21);
                v3 ^= v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17);
                v1 ^= v2;
                v2 = Long.rotateLeft(v2, 32);
            }
            if (step < 5) {
                v0 ^= word;
            }
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
