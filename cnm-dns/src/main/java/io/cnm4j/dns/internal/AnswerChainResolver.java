package io.cnm4j.dns.internal;

import java.util.Arrays;

/**
 * Collects the A, AAAA and CNAME records of an answer section and then picks the address records
 * that answer a question name, following CNAMEs from the question name to its canonical name. The
 * walk does not trust record order (RFC 1034 does not promise chain order) and ignores records
 * whose owner is not on the chain.
 *
 * <p>Usage per message: {@link #reset()}, then for each record {@link #reserveSlot()}, decode the
 * owner (and a CNAME's target) into {@link #names()} at the slot's offsets, and commit; finally
 * {@link #resolve}. Fixed-size storage, nothing allocated per message. Not thread-safe: one
 * instance per parser.
 */
final class AnswerChainResolver {
    /** Address and CNAME records remembered per message; later ones are ignored and reported as omitted. */
    public static final int MAX_TRACKED_RECORDS = 96;
    /** CNAMEs followed from the question name; mainstream resolvers give up on longer chains too. */
    public static final int MAX_CNAME_CHAIN = 16;

    private static final int NAME_SLOT = DnsNameReader.MAX_DECODED_LENGTH;
    private static final int NOT_A_CNAME = -1;

    // Per slot: its owner name at 2 * slot * NAME_SLOT and a CNAME's target right after it.
    private final byte[] names = new byte[2 * MAX_TRACKED_RECORDS * NAME_SLOT];
    private final int[] ownerLengths = new int[MAX_TRACKED_RECORDS];
    private final int[] cnameTargetLengths = new int[MAX_TRACKED_RECORDS];
    private final int[] rdataPositions = new int[MAX_TRACKED_RECORDS];
    private final int[] rdataLengths = new int[MAX_TRACKED_RECORDS];
    private final int[] ttlSeconds = new int[MAX_TRACKED_RECORDS];
    private final boolean[] used = new boolean[MAX_TRACKED_RECORDS];
    private final int[] resolvedSlots = new int[MAX_TRACKED_RECORDS];

    private int recordCount;
    private int resolvedCount;
    private boolean recordsIgnored;

    /** Forgets the records of the previous message. */
    public void reset() {
        recordCount = 0;
        resolvedCount = 0;
        recordsIgnored = false;
    }

    /** Storage that owner names and CNAME targets are decoded into, at {@link #ownerOffset} and {@link #cnameTargetOffset}. */
    public byte[] names() {
        return names;
    }

    /** The slot for the next record, or -1 when all slots are used (the record is then counted as ignored). */
    public int reserveSlot() {
        if (recordCount == MAX_TRACKED_RECORDS) {
            recordsIgnored = true;
            return -1;
        }
        return recordCount;
    }

    /** Where the owner name of {@code slot} is decoded into {@link #names()}. */
    public int ownerOffset(int slot) {
        return 2 * slot * NAME_SLOT;
    }

    /** Where the CNAME target of {@code slot} is decoded into {@link #names()}. */
    public int cnameTargetOffset(int slot) {
        return ownerOffset(slot) + NAME_SLOT;
    }

    /** Records an A or AAAA answer whose owner was decoded into the reserved slot. */
    public void commitAddress(int ownerLength, int rdataPosition, int rdataLength, int ttl) {
        commit(ownerLength, NOT_A_CNAME, rdataPosition, rdataLength, ttl);
    }

    /** Records a CNAME answer whose owner and target were decoded into the reserved slot. */
    public void commitCname(int ownerLength, int targetLength) {
        commit(ownerLength, targetLength, 0, 0, 0);
    }

    /** True when some records did not fit and were left out of the resolution. */
    public boolean recordsIgnored() {
        return recordsIgnored;
    }

    /**
     * Selects the address records for the question name {@code name[offset, offset + length)} and,
     * transitively, for the targets of its CNAMEs, in chain order.
     */
    public void resolve(byte[] name, int offset, int length) {
        resolvedCount = 0;
        Arrays.fill(used, 0, recordCount, false);
        byte[] currentName = name;
        int currentOffset = offset;
        int currentLength = length;
        for (int hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
            int nextCname = -1;
            for (int slot = 0; slot < recordCount; slot++) {
                // Each record is used once, so a CNAME cycle can neither repeat addresses nor spin.
                if (used[slot] || !ownerEquals(slot, currentName, currentOffset, currentLength)) {
                    continue;
                }
                if (cnameTargetLengths[slot] == NOT_A_CNAME) {
                    used[slot] = true;
                    resolvedSlots[resolvedCount++] = slot;
                } else if (nextCname < 0) {
                    nextCname = slot;
                }
            }
            if (nextCname < 0) {
                return;
            }
            used[nextCname] = true;
            currentName = names;
            currentOffset = cnameTargetOffset(nextCname);
            currentLength = cnameTargetLengths[nextCname];
        }
    }

    /** Address records selected by the last {@link #resolve}. */
    public int resolvedCount() {
        return resolvedCount;
    }

    /** Position in the message of the RDATA of the {@code index}-th selected address record. */
    public int resolvedRdataPosition(int index) {
        return rdataPositions[resolvedSlots[index]];
    }

    /** RDATA length (4 or 16) of the {@code index}-th selected address record. */
    public int resolvedRdataLength(int index) {
        return rdataLengths[resolvedSlots[index]];
    }

    /** TTL in seconds, as sent, of the {@code index}-th selected address record. */
    public int resolvedTtlSeconds(int index) {
        return ttlSeconds[resolvedSlots[index]];
    }

    private void commit(int ownerLength, int targetLength, int rdataPosition, int rdataLength, int ttl) {
        int slot = recordCount++;
        ownerLengths[slot] = ownerLength;
        cnameTargetLengths[slot] = targetLength;
        rdataPositions[slot] = rdataPosition;
        rdataLengths[slot] = rdataLength;
        ttlSeconds[slot] = ttl;
    }

    private boolean ownerEquals(int slot, byte[] name, int offset, int length) {
        int ownerOffset = ownerOffset(slot);
        return ownerLengths[slot] == length
                && Arrays.equals(names, ownerOffset, ownerOffset + length, name, offset, offset + length);
    }
}
