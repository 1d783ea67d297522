package io.cnm4j.linux.internal;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.linux.internal.libbpf.BpfIterator;
import io.cnm4j.linux.internal.libbpf.BpfMapEntries;
import io.cnm4j.linux.internal.libbpf.BpfObject;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Set;

/**
 * The passes of the iterator {@code cnm_tcp_live} over the sockets' state, one before each read of
 * the live TCP map. Each pass has a number, which the iterator stamps on the live entry of every
 * socket it walks: an entry that two passes in a row leave unstamped has no socket any more, so it
 * was destroyed without a close record (a single pass may step over a socket when another is
 * destroyed under it, so one miss alone proves nothing).
 *
 * <p>The iterator belongs to the BPF object; the memory to the arena the caller passes. Not
 * thread-safe: used under the backend's lock.
 */
final class LiveTcpPasses {
    private final BpfIterator iterator;
    private final BpfMapEntries passMap;
    private final MemorySegment passKey;
    private final MemorySegment passValue;
    private int pass;
    private Set<Long> unstampedBefore = new HashSet<>();
    private Set<Long> unstamped = new HashSet<>();
    private long missedCloses;

    LiveTcpPasses(BpfObject object, Arena arena) throws NativeCallException {
        this.iterator = object.openIterator(LiveTcpIterator.PROGRAM, "sock_state");
        this.passMap = object.openEntries("live_pass", 1);
        this.passKey = arena.allocate(ValueLayout.JAVA_INT);
        this.passValue = arena.allocate(ValueLayout.JAVA_INT);
    }

    /** Numbers the coming pass and runs it: every live entry whose socket it walks is stamped. */
    void run() throws NativeCallException {
        Set<Long> before = unstampedBefore;
        unstampedBefore = unstamped;
        unstamped = before;
        unstamped.clear();
        pass++;
        passValue.set(ValueLayout.JAVA_INT, 0, pass);
        passMap.put(passKey, passValue);
        iterator.run();
    }

    /** Whether the live entry of {@code cookie}, stamped {@code stamp}, lost its socket without a close record. */
    boolean missedClose(long cookie, int stamp) {
        if (stamp == pass) {
            return false;
        }
        if (!unstampedBefore.contains(cookie)) {
            unstamped.add(cookie);
            return false;
        }
        missedCloses++;
        return true;
    }

    /** Live entries found without their socket so far. */
    long missedCloses() {
        return missedCloses;
    }
}
