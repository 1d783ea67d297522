package io.cnm4j.bench;

/**
 * The attack {@link ClusteredPeersBenchmark} replays: against the former UDP flow id (an unkeyed,
 * invertible mix of cookie and peer) and the engine table's slot function, a sender who knows the
 * socket cookie solves for interface ids in its own /64 whose flow ids all map to slot 0.
 */
final class FormerUdpFlowIdAttack {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long GOLDEN_INVERSE = inverse(GOLDEN);
    private static final long MIX = 0xFF51AFD7ED558CCDL;
    private static final long MIX_INVERSE = inverse(MIX);

    private FormerUdpFlowIdAttack() {
    }

    /**
     * The second address word giving the {@code n}-th (n ≥ 1) of a family of former ids whose slot
     * hash {@code (int) (h ^ h >>> 32)} with {@code h = id * GOLDEN} is 0, whatever the table size.
     */
    static long interfaceIdForSlotZero(long n, long cookie, long prefixWord, int port) {
        long slotHash = n << 32 | n;
        long formerId = slotHash * GOLDEN_INVERSE;
        long afterWord1 = unmix(formerId) ^ port;
        long afterWord0 = mix(cookie * GOLDEN ^ prefixWord);
        return unmix(afterWord1) ^ afterWord0;
    }

    /** The former table's slot hash of the former id of (cookie, peer); 0 for every solved peer. */
    static int formerSlotHash(long cookie, long word0, long word1, int port) {
        long h = cookie * GOLDEN;
        h = mix(h ^ word0);
        h = mix(h ^ word1);
        long formerId = mix(h ^ port);
        long slot = formerId * GOLDEN;
        return (int) (slot ^ slot >>> 32);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= MIX;
        h ^= h >>> 33;
        return h;
    }

    private static long unmix(long h) {
        // A shift by 33 (over half the word) undoes itself; an odd multiplier has an inverse mod 2^64.
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
}
