package io.cnm4j.core.spi;

import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;

/**
 * A reusable, mutable record of what a backend observed about one flow: either its current
 * monotonic counters ({@link Kind#UPDATE}) or its final ones when it closed ({@link Kind#CLOSED}).
 *
 * <p>Instances are pooled by the pipeline so that ingestion allocates nothing per event: a
 * backend {@linkplain ConnectionEventSink#claim() claims} one, fills it and
 * {@linkplain ConnectionEventSink#publish(ConnectionEvent) publishes} it, and must not touch it
 * afterwards. An instance is used by one thread at a time.
 */
public final class ConnectionEvent {
    /** What the event reports. */
    public enum Kind {
        /** Monotonic counters of a live flow. */
        UPDATE,
        /** Final counters of a flow that ended. */
        CLOSED
    }

    /** Capacity of the process name, the kernel's {@code TASK_COMM_LEN}. */
    public static final int COMM_CAPACITY = 16;

    private Kind kind = Kind.UPDATE;
    private long flowId;
    private long cookie;
    private Family family = Family.V4;
    private Protocol protocol = Protocol.TCP;
    private final byte[] localAddress = new byte[16];
    private final byte[] remoteAddress = new byte[16];
    private int localPort;
    private int remotePort;
    private int pid;
    private long netns;
    private Direction direction = Direction.NONE;
    private long bytesSent;
    private long bytesReceived;
    private long packetsSent;
    private long packetsReceived;
    private long retransmits;
    private boolean establishedAfterStart;
    private long rttMicros;
    private long rttVarMicros;
    private int failureErrno;
    private long startEpochNanos;
    private long lastUpdateEpochNanos;
    /** The kernel's task comm: at most 16 bytes, not NUL-terminated here (length below). */
    private final byte[] comm = new byte[COMM_CAPACITY];
    private int commLength;
    private long cgroupId;

    /** Clears every field, as if newly created. */
    public ConnectionEvent reset() {
        kind = Kind.UPDATE;
        flowId = 0;
        cookie = 0;
        family = Family.V4;
        protocol = Protocol.TCP;
        java.util.Arrays.fill(localAddress, (byte) 0);
        java.util.Arrays.fill(remoteAddress, (byte) 0);
        localPort = 0;
        remotePort = 0;
        pid = 0;
        netns = 0;
        direction = Direction.NONE;
        bytesSent = 0;
        bytesReceived = 0;
        packetsSent = 0;
        packetsReceived = 0;
        retransmits = 0;
        establishedAfterStart = false;
        rttMicros = 0;
        rttVarMicros = 0;
        failureErrno = 0;
        startEpochNanos = 0;
        lastUpdateEpochNanos = 0;
        commLength = 0;
        cgroupId = 0;
        return this;
    }

    /** Copies every field of another event into this one. */
    public ConnectionEvent copyFrom(ConnectionEvent other) {
        kind = other.kind;
        flowId = other.flowId;
        cookie = other.cookie;
        family = other.family;
        protocol = other.protocol;
        System.arraycopy(other.localAddress, 0, localAddress, 0, 16);
        System.arraycopy(other.remoteAddress, 0, remoteAddress, 0, 16);
        localPort = other.localPort;
        remotePort = other.remotePort;
        pid = other.pid;
        netns = other.netns;
        direction = other.direction;
        bytesSent = other.bytesSent;
        bytesReceived = other.bytesReceived;
        packetsSent = other.packetsSent;
        packetsReceived = other.packetsReceived;
        retransmits = other.retransmits;
        establishedAfterStart = other.establishedAfterStart;
        rttMicros = other.rttMicros;
        rttVarMicros = other.rttVarMicros;
        failureErrno = other.failureErrno;
        startEpochNanos = other.startEpochNanos;
        lastUpdateEpochNanos = other.lastUpdateEpochNanos;
        System.arraycopy(other.comm, 0, comm, 0, COMM_CAPACITY);
        commLength = other.commLength;
        cgroupId = other.cgroupId;
        return this;
    }

    public Kind kind() { return kind; }

    public ConnectionEvent kind(Kind value) { kind = value; return this; }

    /**
     * Identity of the flow for state tracking. It is the socket cookie for TCP; for a UDP socket
     * talking to several peers the backend derives one id per peer, keyed so that a sender cannot
     * choose it ({@code KeyedHash}). The engine still confirms the flow by cookie, protocol,
     * family, ports and remote address, so two flows sharing an id are never merged.
     */
    public long flowId() { return flowId; }

    public ConnectionEvent flowId(long value) { flowId = value; return this; }

    /** The kernel's socket cookie, as reported to users. */
    public long cookie() { return cookie; }

    public ConnectionEvent cookie(long value) { cookie = value; return this; }

    public Family family() { return family; }

    public ConnectionEvent family(Family value) { family = value; return this; }

    public Protocol protocol() { return protocol; }

    public ConnectionEvent protocol(Protocol value) { protocol = value; return this; }

    /** Local address bytes: the first 4 for IPv4, all 16 for IPv6. Writable in place. */
    public byte[] localAddress() { return localAddress; }

    /** Remote address bytes: the first 4 for IPv4, all 16 for IPv6. Writable in place. */
    public byte[] remoteAddress() { return remoteAddress; }

    public int localPort() { return localPort; }

    public ConnectionEvent localPort(int value) { localPort = value; return this; }

    public int remotePort() { return remotePort; }

    public ConnectionEvent remotePort(int value) { remotePort = value; return this; }

    public int pid() { return pid; }

    public ConnectionEvent pid(int value) { pid = value; return this; }

    /** Network namespace inode. */
    public long netns() { return netns; }

    public ConnectionEvent netns(long value) { netns = value; return this; }

    public Direction direction() { return direction; }

    public ConnectionEvent direction(Direction value) { direction = value; return this; }

    public long bytesSent() { return bytesSent; }

    public ConnectionEvent bytesSent(long value) { bytesSent = value; return this; }

    public long bytesReceived() { return bytesReceived; }

    public ConnectionEvent bytesReceived(long value) { bytesReceived = value; return this; }

    public long packetsSent() { return packetsSent; }

    public ConnectionEvent packetsSent(long value) { packetsSent = value; return this; }

    public long packetsReceived() { return packetsReceived; }

    public ConnectionEvent packetsReceived(long value) { packetsReceived = value; return this; }

    public long retransmits() { return retransmits; }

    public ConnectionEvent retransmits(long value) { retransmits = value; return this; }

    /** True when the TCP handshake completed after capture started (reported as established 1). */
    public boolean establishedAfterStart() { return establishedAfterStart; }

    public ConnectionEvent establishedAfterStart(boolean value) { establishedAfterStart = value; return this; }

    public long rttMicros() { return rttMicros; }

    public ConnectionEvent rttMicros(long value) { rttMicros = value; return this; }

    public long rttVarMicros() { return rttVarMicros; }

    public ConnectionEvent rttVarMicros(long value) { rttVarMicros = value; return this; }

    /** The errno a TCP connection failed with (111, 104, 110…), 0 when it did not fail. */
    public int failureErrno() { return failureErrno; }

    public ConnectionEvent failureErrno(int value) { failureErrno = value; return this; }

    public long startEpochNanos() { return startEpochNanos; }

    public ConnectionEvent startEpochNanos(long value) { startEpochNanos = value; return this; }

    public long lastUpdateEpochNanos() { return lastUpdateEpochNanos; }

    public ConnectionEvent lastUpdateEpochNanos(long value) { lastUpdateEpochNanos = value; return this; }

    /**
     * The process name buffer ({@code bpf_get_current_comm}), {@value #COMM_CAPACITY} bytes,
     * writable in place: a backend copies the kernel's 16 bytes here, then calls
     * {@link #commWritten()} (or {@link #commLength(int)}). Only the first {@link #commLength()}
     * bytes are meaningful.
     */
    public byte[] commBytes() { return comm; }

    /** Valid bytes in {@link #commBytes()}; 0 when the kernel did not capture a name. */
    public int commLength() { return commLength; }

    /** Sets how many bytes of {@link #commBytes()} hold the name (0..16). */
    public ConnectionEvent commLength(int value) {
        if (value < 0 || value > COMM_CAPACITY) {
            throw new IllegalArgumentException("comm length must be 0..16: " + value);
        }
        commLength = value;
        return this;
    }

    /**
     * After the kernel's NUL-padded comm was copied into {@link #commBytes()}: the length
     * becomes the number of bytes before the first NUL (16 when there is none).
     */
    public ConnectionEvent commWritten() {
        int n = 0;
        while (n < COMM_CAPACITY && comm[n] != 0) {
            n++;
        }
        commLength = n;
        return this;
    }

    /**
     * Sets the process name from text (replay files, tests); truncated to 16 UTF-8 bytes like the
     * kernel does. Allocates: backends write {@link #commBytes()} instead.
     */
    public ConnectionEvent comm(String value) {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, COMM_CAPACITY);
        System.arraycopy(bytes, 0, comm, 0, n);
        commLength = n;
        return this;
    }

    /** Whether this event carries the same process name as these bytes. */
    public boolean commEquals(byte[] other, int otherLength) {
        return otherLength == commLength
                && java.util.Arrays.equals(comm, 0, commLength, other, 0, otherLength);
    }

    /** The cgroup v2 id of the process (inode of its cgroup directory), 0 when unknown. */
    public long cgroupId() { return cgroupId; }

    public ConnectionEvent cgroupId(long value) { cgroupId = value; return this; }
}
