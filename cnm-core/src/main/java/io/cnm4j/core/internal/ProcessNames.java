package io.cnm4j.core.internal;

import java.nio.charset.StandardCharsets;

/**
 * Process names as the kernel captured them ({@code comm}, at most 16 bytes), decoded once and
 * shared by the flows of a process rather than copied into each. A direct-mapped cache of fixed
 * size: a name that collides with another only replaces it (decoded again when it comes back),
 * so names chosen to collide cost a decode, never a longer search. Engine-confined.
 */
final class ProcessNames {
    private static final int SLOTS = 1024;

    private final long[] heads = new long[SLOTS];
    private final long[] tails = new long[SLOTS];
    private final byte[] lengths = new byte[SLOTS];
    private final String[] names = new String[SLOTS];

    /** The name held in the first {@code length} bytes of {@code comm} (1..16). */
    String of(byte[] comm, int length) {
        long head = word(comm, 0, length);
        long tail = word(comm, 8, length);
        long mixed = (head ^ Long.rotateLeft(tail, 29) ^ length) * 0x9E3779B97F4A7C15L;
        int slot = (int) (mixed >>> 54);
        String name = names[slot];
        if (name == null || heads[slot] != head || tails[slot] != tail || lengths[slot] != length) {
            name = new String(comm, 0, length, StandardCharsets.UTF_8);
            heads[slot] = head;
            tails[slot] = tail;
            lengths[slot] = (byte) length;
            names[slot] = name;
        }
        return name;
    }

    /** Bytes {@code offset .. offset+7} that lie within {@code length}, the rest as zero. */
    private static long word(byte[] bytes, int offset, int length) {
        long word = 0;
        for (int i = offset; i < offset + 8; i++) {
            word = word << 8 | (i < length ? bytes[i] & 0xFF : 0);
        }
        return word;
    }
}
