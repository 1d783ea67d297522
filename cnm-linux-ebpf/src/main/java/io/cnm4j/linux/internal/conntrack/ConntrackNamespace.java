package io.cnm4j.linux.internal.conntrack;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.cnm4j.core.internal.ffm.LinuxErrno;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.linux.internal.netlink.Netlink;
import io.cnm4j.linux.internal.netlink.NetlinkReplies;
import io.cnm4j.linux.internal.netlink.NetlinkSocket;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Conntrack of one network namespace: an event socket subscribed to new and destroyed entries,
 * a second socket for dumps (a dump on the event socket would compete with events for its
 * buffer), and the table of translated entries. Both sockets are opened in the calling thread's
 * namespace and stay bound to it.
 *
 * <p>Owned and used by the conntrack thread, which closes it; the table alone is shared.
 */
final class ConntrackNamespace implements AutoCloseable {
    /** nfnetlink multicast groups NFNLGRP_CONNTRACK_NEW (1) and _DESTROY (3), as a bind bitmask. */
    private static final int EVENT_GROUPS = 1 | 1 << 2;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final long DUMP_TIMEOUT_NANOS = 30_000_000_000L;
    /** Datagrams read per namespace in one duty cycle, so one busy namespace cannot starve the others. */
    private static final int DATAGRAMS_PER_DRAIN = 256;

    final long inode;
    /** How the namespace was reached; when it no longer names {@link #inode}, the namespace is released. */
    final Path nsFile;
    final ConntrackTable table;
    private final NetlinkSocket events;
    private final NetlinkSocket dumps;
    private final MemorySegment request;
    private final ConntrackCounters counters;
    private final EventSampler sampler;
    private final Messages eventMessages = new Messages(true);
    private final Messages dumpMessages = new Messages(false);
    private final CtTuple original = new CtTuple();
    private final CtTuple reply = new CtTuple();
    private int sequence;
    /** Set when events were lost: the next duty cycle dumps the table again. */
    boolean needsDump = true;
    /** Set after the first dump (read by lookups); a later dump is a recovery, counted as a re-dump. */
    volatile boolean dumpedBefore;
    volatile long lastLookupNanos = System.nanoTime();

    private ConntrackNamespace(long inode, Path nsFile, ConntrackTable table, NetlinkSocket events, NetlinkSocket dumps,
            ConntrackCounters counters, EventSampler sampler) {
        this.inode = inode;
        this.nsFile = nsFile;
        this.table = table;
        this.events = events;
        this.dumps = dumps;
        this.request = dumps.allocate(Netlink.HEADER_BYTES + ConntrackMessageDecoder.NFGENMSG_BYTES);
        this.counters = counters;
        this.sampler = sampler;
    }

    /** Opens both sockets in the calling thread's current network namespace. */
    static ConntrackNamespace open(long inode, Path nsFile, NatSettings settings, ConntrackCounters counters)
            throws NativeCallException {
        ConntrackTable table = new ConntrackTable(settings.cacheEntries(), ConntrackWorker.DESTROYED_GRACE_NANOS);
        EventSampler sampler = new EventSampler(settings.eventsPerSecond(), System.nanoTime());
        NetlinkSocket events = NetlinkSocket.open(Netlink.NETLINK_NETFILTER, EVENT_GROUPS, settings.eventBufferBytes());
        try {
            NetlinkSocket dumps = NetlinkSocket.open(Netlink.NETLINK_NETFILTER, 0, 0);
            return new ConntrackNamespace(inode, nsFile, table, events, dumps, counters, sampler);
        } catch (NativeCallException | RuntimeException e) {
            events.close();
            throw e;
        }
    }

    int eventDescriptor() {
        return events.fd();
    }

    /**
     * Reads the pending events without waiting.
     *
     * @return false when the kernel dropped events (ENOBUFS): the table needs a dump
     */
    boolean drainEvents(long nowNanos) throws NativeCallException {
        for (int i = 0; i < DATAGRAMS_PER_DRAIN; i++) {
            int length;
            try {
                length = events.receive(0);
            } catch (NativeCallException e) {
                if (e.errno() == LinuxErrno.ENOBUFS) {
                    counters.overruns.incrementAndGet();
                    needsDump = true;
                    return false;
                }
                throw e;
            }
            if (length < 0) {
                return true;
            }
            eventMessages.nowNanos = nowNanos;
            NetlinkReplies.walk(events.buffer(), length, eventMessages);
        }
        return true;
    }

    /** Reads every IPv4 and IPv6 entry into the table (not rate limited: a dump is paced by this reader). */
    void dump(long nowNanos) throws NativeCallException {
        needsDump = false;
        dumpFamily(AF_INET, nowNanos);
        dumpFamily(AF_INET6, nowNanos);
        dumpedBefore = true;
    }

    private void dumpFamily(int family, long nowNanos) throws NativeCallException {
        int length = Netlink.HEADER_BYTES + ConntrackMessageDecoder.NFGENMSG_BYTES;
        int type = ConntrackMessageDecoder.NFNL_SUBSYS_CTNETLINK << 8 | ConntrackMessageDecoder.IPCTNL_MSG_CT_GET;
        Netlink.writeHeader(request, length, type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, ++sequence);
        request.set(JAVA_BYTE, Netlink.HEADER_BYTES, (byte) family);
        request.set(JAVA_BYTE, Netlink.HEADER_BYTES + 1, (byte) 0); // NFNETLINK_V0
        dumpMessages.nowNanos = nowNanos;
        NetlinkReplies.dump(dumps, request, length, "ctnetlink dump", DUMP_TIMEOUT_NANOS, dumpMessages);
    }

    /** Hands the conntrack entries of a datagram to the table, as events or as a dump. */
    private final class Messages implements NetlinkReplies.Handler {
        private final boolean event;
        private long nowNanos;

        Messages(boolean event) {
            this.event = event;
        }

        @Override
        public void message(MemorySegment buffer, long at, int length, int type) {
            if (type >> 8 == ConntrackMessageDecoder.NFNL_SUBSYS_CTNETLINK) {
                entry(buffer, at, length, type & 0xFF, event, nowNanos);
            }
        }

        @Override
        public void rejected() {
            counters.rejected.incrementAndGet();
        }
    }

    private void entry(MemorySegment buffer, long at, int length, int message, boolean event, long nowNanos) {
        if (event) {
            counters.events.incrementAndGet();
        }
        int result = ConntrackMessageDecoder.decode(buffer, at, length, original, reply);
        if (result == ConntrackMessageDecoder.MALFORMED) {
            counters.rejected.incrementAndGet();
            return;
        }
        if (result != ConntrackMessageDecoder.DECODED || original.isInverseOf(reply)) {
            return;
        }
        if (message == ConntrackMessageDecoder.IPCTNL_MSG_CT_DELETE) {
            table.destroyed(TupleKey.of(original), nowNanos);
        } else if (message == ConntrackMessageDecoder.IPCTNL_MSG_CT_NEW) {
            if (event && !sampler.keep(nowNanos)) {
                counters.sampledOut.incrementAndGet();
                return;
            }
            if (!event) {
                counters.dumped.incrementAndGet();
            }
            table.put(TupleKey.of(original), TupleKey.of(reply));
        }
    }

    @Override
    public void close() {
        events.close();
        dumps.close();
    }
}
