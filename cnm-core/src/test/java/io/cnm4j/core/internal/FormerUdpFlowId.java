package io.cnm4j.core.internal;

/**
 * The attack on the UDP flow id used before ids were keyed: an unkeyed, invertible mix of cookie
 * and peer. Knowing a socket's cookie, a sender can choose the low 64 bits of its IPv6 address (its
 * interface id) so that its flow gets any id it likes: another flow's, or one of a set that all fall
 * in the same slot of a linear-probing table.
 */
final class FormerUdpFlowId {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long MIX = 0xFF51AFD7ED558CCDL;
    private static final long MIX_INVERSE = inverse(MIX);

    private FormerUdpFlowId() {
    }

    /** The former id of (cookie, peer) with the peer address as two little-endian words. */
    static long of(long cookie, long peerWord0, long peerWord1, int peerPort) {
        long h = cookie * GOLDEN;
        h = mix(h ^ peerWord0);
        h = mix(h ^ peerWord1);
        return mix(h ^ peerPort);
    }

    /** The second address word that gives (cookie, peerWord0, ?, peerPort) the former id {@code target}. */
    static long peerWord1For(long target, long cookie, long peerWord0, int peerPort) {
        long afterWord1 = unmix(target) ^ peerPort;
        long afterWord0 = mix(cookie * GOLDEN ^ peerWord0);
        return unmix(afterWord1) ^ afterWord0;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= MIX;
        h ^= h >>> 33;
        return h;
    }

    private static long unmix(long h) {
        // A shift by 33 (over half the word) undoes itself; the odd multiplier has an inverse mod 2^64.
        h ^= h >>> 33;
        h *= MIX_INVERSE;
        h ^= h >>> 33;
        return h;
    }

    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    /** The little-endian word of {@code bytes[offset, offset + 8)}, as the decoder reads a kernel record. */
    static long littleEndianWord(byte[] bytes, int offset) {
        long word = 0;
        for (int i = 7; i >= 0; i--) {
            word = word << 8 | (bytes[offset + i] & 0xFF);
        }
        return word;
    }

    /** Writes a word little-endian into {@code bytes[offset, offset + 8)}. */
    static void putLittleEndianWord(byte[] bytes, int offset, long word) {
        for (int i = 0; i < 8; i++) {
            bytes[offset + i] = (byte) (word >>> (8 * i));
        }
    }
}
