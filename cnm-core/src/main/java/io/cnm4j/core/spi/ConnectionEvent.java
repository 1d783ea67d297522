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

    /** Creates a cleared event; backends claim pooled ones from the sink instead. */
    public ConnectionEvent() {
    }

    /**
     * Clears every field, as if newly created.
     *
     * @return this event
     */
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

    /**
     * Copies every field of another event into this one.
     *
     * @param other the event to copy
     * @return this event
     */
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

    /** {@return what the event reports} */
    public Kind kind() { return kind; }

    /**
     * Sets {@link #kind()}.
     *
     * @param value what the event reports
     * @return this event
     */
    public ConnectionEvent kind(Kind value) { kind = value; return this; }

    /**
     * Identity of the flow for state tracking. It is the socket cookie for TCP; for a UDP socket
     * talking to several peers the backend derives one id per peer, keyed so that a sender cannot
     * choose it ({@code KeyedHash}). The engine still confirms the flow by cookie, protocol,
     * family, ports and remote address, so two flows sharing an id are never merged.
     *
     * @return the flow id
     */
    public long flowId() { return flowId; }

    /**
     * Sets {@link #flowId()}.
     *
     * @param value the flow id
     * @return this event
     */
    public ConnectionEvent flowId(long value) { flowId = value; return this; }

    /** {@return the kernel's socket cookie, as reported to users} */
    public long cookie() { return cookie; }

    /**
     * Sets {@link #cookie()}.
     *
     * @param value the kernel's socket cookie
     * @return this event
     */
    public ConnectionEvent cookie(long value) { cookie = value; return this; }

    /** {@return the address family} */
    public Family family() { return family; }

    /**
     * Sets {@link #family()}.
     *
     * @param value the address family
     * @return this event
     */
    public ConnectionEvent family(Family value) { family = value; return this; }

    /** {@return the transport protocol} */
    public Protocol protocol() { return protocol; }

    /**
     * Sets {@link #protocol()}.
     *
     * @param value the transport protocol
     * @return this event
     */
    public ConnectionEvent protocol(Protocol value) { protocol = value; return this; }

    /** {@return local address bytes: the first 4 for IPv4, all 16 for IPv6. Writable in place} */
    public byte[] localAddress() { return localAddress; }

    /** {@return remote address bytes: the first 4 for IPv4, all 16 for IPv6. Writable in place} */
    public byte[] remoteAddress() { return remoteAddress; }

    /** {@return the local port} */
    public int localPort() { return localPort; }

    /**
     * Sets {@link #localPort()}.
     *
     * @param value the local port
     * @return this event
     */
    public ConnectionEvent localPort(int value) { localPort = value; return this; }

    /** {@return the remote port} */
    public int remotePort() { return remotePort; }

    /**
     * Sets {@link #remotePort()}.
     *
     * @param value the remote port
     * @return this event
     */
    public ConnectionEvent remotePort(int value) { remotePort = value; return this; }

    /** {@return the process id of the socket's owner} */
    public int pid() { return pid; }

    /**
     * Sets {@link #pid()}.
     *
     * @param value the process id of the socket's owner
     * @return this event
     */
    public ConnectionEvent pid(int value) { pid = value; return this; }

    /** {@return network namespace inode} */
    public long netns() { return netns; }

    /**
     * Sets {@link #netns()}.
     *
     * @param value the network namespace inode
     * @return this event
     */
    public ConnectionEvent netns(long value) { netns = value; return this; }

    /** {@return whether the host opened or accepted the connection} */
    public Direction direction() { return direction; }

    /**
     * Sets {@link #direction()}.
     *
     * @param value whether the host opened or accepted the connection
     * @return this event
     */
    public ConnectionEvent direction(Direction value) { direction = value; return this; }

    /** {@return bytes sent, monotonic} */
    public long bytesSent() { return bytesSent; }

    /**
     * Sets {@link #bytesSent()}.
     *
     * @param value bytes sent, monotonic
     * @return this event
     */
    public ConnectionEvent bytesSent(long value) { bytesSent = value; return this; }

    /** {@return bytes received, monotonic} */
    public long bytesReceived() { return bytesReceived; }

    /**
     * Sets {@link #bytesReceived()}.
     *
     * @param value bytes received, monotonic
     * @return this event
     */
    public ConnectionEvent bytesReceived(long value) { bytesReceived = value; return this; }

    /** {@return packets sent, monotonic} */
    public long packetsSent() { return packetsSent; }

    /**
     * Sets {@link #packetsSent()}.
     *
     * @param value packets sent, monotonic
     * @return this event
     */
    public ConnectionEvent packetsSent(long value) { packetsSent = value; return this; }

    /** {@return packets received, monotonic} */
    public long packetsReceived() { return packetsReceived; }

    /**
     * Sets {@link #packetsReceived()}.
     *
     * @param value packets received, monotonic
     * @return this event
     */
    public ConnectionEvent packetsReceived(long value) { packetsReceived = value; return this; }

    /** {@return TCP retransmits, monotonic} */
    public long retransmits() { return retransmits; }

    /**
     * Sets {@link #retransmits()}.
     *
     * @param value TCP retransmits, monotonic
     * @return this event
     */
    public ConnectionEvent retransmits(long value) { retransmits = value; return this; }

    /** {@return true when the TCP handshake completed after capture started (reported as established 1)} */
    public boolean establishedAfterStart() { return establishedAfterStart; }

    /**
     * Sets {@link #establishedAfterStart()}.
     *
     * @param value whether the connection was established after capture started
     * @return this event
     */
    public ConnectionEvent establishedAfterStart(boolean value) { establishedAfterStart = value; return this; }

    /** {@return the smoothed TCP round-trip time in microseconds} */
    public long rttMicros() { return rttMicros; }

    /**
     * Sets {@link #rttMicros()}.
     *
     * @param value the smoothed TCP round-trip time in microseconds
     * @return this event
     */
    public ConnectionEvent rttMicros(long value) { rttMicros = value; return this; }

    /** {@return the TCP round-trip time variance in microseconds} */
    public long rttVarMicros() { return rttVarMicros; }

    /**
     * Sets {@link #rttVarMicros()}.
     *
     * @param value the TCP round-trip time variance in microseconds
     * @return this event
     */
    public ConnectionEvent rttVarMicros(long value) { rttVarMicros = value; return this; }

    /** {@return the errno a TCP connection failed with (111, 104, 110…), 0 when it did not fail} */
    public int failureErrno() { return failureErrno; }

    /**
     * Sets {@link #failureErrno()}.
     *
     * @param value the errno the connection failed with, or 0
     * @return this event
     */
    public ConnectionEvent failureErrno(int value) { failureErrno = value; return this; }

    /** {@return when the flow started, in nanoseconds since the epoch} */
    public long startEpochNanos() { return startEpochNanos; }

    /**
     * Sets {@link #startEpochNanos()}.
     *
     * @param value when the flow started, in nanoseconds since the epoch
     * @return this event
     */
    public ConnectionEvent startEpochNanos(long value) { startEpochNanos = value; return this; }

    /** {@return when the counters were last updated, in nanoseconds since the epoch} */
    public long lastUpdateEpochNanos() { return lastUpdateEpochNanos; }

    /**
     * Sets {@link #lastUpdateEpochNanos()}.
     *
     * @param value when the counters were last updated, in nanoseconds since the epoch
     * @return this event
     */
    public ConnectionEvent lastUpdateEpochNanos(long value) { lastUpdateEpochNanos = value; return this; }

    /**
     * The process name buffer ({@code bpf_get_current_comm}), {@value #COMM_CAPACITY} bytes,
     * writable in place: a backend copies the kernel's 16 bytes here, then calls
     * {@link #commWritten()} (or {@link #commLength(int)}). Only the first {@link #commLength()}
     * bytes are meaningful.
     *
     * @return the buffer itself, written in place by backends
     */
    public byte[] commBytes() { return comm; }

    /** {@return valid bytes in {@link #commBytes()}; 0 when the kernel did not capture a name} */
    public int commLength() { return commLength; }

    /**
     * Sets how many bytes of {@link #commBytes()} hold the name (0..16).
     *
     * @param value the name's length in bytes
     * @return this event
     */
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
     *
     * @return this event
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
     *
     * @param value the process name
     * @return this event
     */
    public ConnectionEvent comm(String value) {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, COMM_CAPACITY);
        System.arraycopy(bytes, 0, comm, 0, n);
        commLength = n;
        return this;
    }

    /**
     * Whether this event carries the same process name as these bytes.
     *
     * @param other a name buffer
     * @param otherLength how many bytes of {@code other} hold the name
     * @return whether both names have the same bytes
     */
    public boolean commEquals(byte[] other, int otherLength) {
        return otherLength == commLength
                && java.util.Arrays.equals(comm, 0, commLength, other, 0, otherLength);
    }

    /** {@return the cgroup v2 id of the process (inode of its cgroup directory), 0 when unknown} */
    public long cgroupId() { return cgroupId; }

    /**
     * Sets {@link #cgroupId()}.
     *
     * @param value the cgroup v2 id of the socket's owner
     * @return this event
     */
    public ConnectionEvent cgroupId(long value) { cgroupId = value; return this; }
}
