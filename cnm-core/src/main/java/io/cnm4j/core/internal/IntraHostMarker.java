package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.internal.KeyAccess.End;
import java.util.Arrays;

/**
 * Finds connections whose both ends are on this host: same address at both ends, both ends on
 * loopback, or a remote endpoint that is the local endpoint of another connection in the same
 * read (Datadog's rule). Reads addresses as numbers, so it allocates nothing; its index of local
 * endpoints is the read's own table ({@link ReadGroups#reuseIndex()}), and its marks are reused
 * from read to read. Engine-confined.
 */
final class IntraHostMarker {
    private static final KeyAccess KEYS = KeyAccess.get();

    private long[] marks = new long[1];

    /** Marks the intra-host groups of {@code groups}, once they are complete. */
    void mark(ReadGroups groups) {
        int count = groups.size();
        if (marks.length * 64 < count) {
            marks = new long[(count + 63) / 64];
        } else {
            Arrays.fill(marks, 0);
        }
        int[] endpoints = groups.reuseIndex();
        int mask = endpoints.length - 1;
        for (int g = 0; g < count; g++) {
            ConnectionKey key = groups.head(g).key;
            int slot = slot(KEYS.wide(key, End.LOCAL), KEYS.high(key, End.LOCAL), KEYS.low(key, End.LOCAL), key.localPort(), mask);
            while (endpoints[slot] != 0 && !hasLocal(groups.head(endpoints[slot] - 1).key, KEYS.wide(key, End.LOCAL),
                    KEYS.high(key, End.LOCAL), KEYS.low(key, End.LOCAL), key.localPort())) {
                slot = (slot + 1) & mask;
            }
            endpoints[slot] = g + 1;
        }
        for (int g = 0; g < count; g++) {
            ConnectionKey key = groups.head(g).key;
            boolean wide = KEYS.wide(key, End.REMOTE);
            long high = KEYS.high(key, End.REMOTE);
            long low = KEYS.low(key, End.REMOTE);
            boolean sameAddress = wide == KEYS.wide(key, End.LOCAL) && high == KEYS.high(key, End.LOCAL)
                    && low == KEYS.low(key, End.LOCAL);
            if (sameAddress || isLoopback(KEYS.wide(key, End.LOCAL), KEYS.high(key, End.LOCAL), KEYS.low(key, End.LOCAL))
                    && isLoopback(wide, high, low) || hasLocalEndpoint(groups, endpoints, wide, high, low,
                    key.remotePort())) {
                marks[g >>> 6] |= 1L << g;
            }
        }
    }

    /** True when the {@code group}-th group of the last marked read is intra-host. */
    boolean isMarked(int group) {
        return (marks[group >>> 6] & 1L << group) != 0;
    }

    private static boolean hasLocalEndpoint(ReadGroups groups, int[] endpoints, boolean wide, long high, long low,
            int port) {
        int mask = endpoints.length - 1;
        for (int slot = slot(wide, high, low, port, mask); endpoints[slot] != 0; slot = (slot + 1) & mask) {
            if (hasLocal(groups.head(endpoints[slot] - 1).key, wide, high, low, port)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLocal(ConnectionKey key, boolean wide, long high, long low, int port) {
        return key.localPort() == port && KEYS.wide(key, End.LOCAL) == wide && KEYS.high(key, End.LOCAL) == high
                && KEYS.low(key, End.LOCAL) == low;
    }

    /** 127.0.0.0/8, or ::1 (as {@link java.net.InetAddress#isLoopbackAddress()} says). */
    private static boolean isLoopback(boolean wide, long high, long low) {
        return wide ? high == 0 && low == 1 : high >>> 56 == 127;
    }

    private static int slot(boolean wide, long high, long low, int port, int mask) {
        // Keyed: remote endpoints are looked up here, and a sender chooses its own address and port.
        return (int) KeyedHash.PROCESS.hash(high, low, port, wide ? 1 : 0) & mask;
    }
}
