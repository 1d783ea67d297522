package io.cnm4j.core;

import io.cnm4j.core.internal.AddressText;
import io.cnm4j.core.internal.KeyAccess;
import io.cnm4j.core.internal.KeyAccess.End;
import io.cnm4j.core.internal.KeyedHash;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The tuple that identifies a connection for delivery: connections with equal keys and
 * direction are aggregated in a snapshot, whatever their socket cookies. Immutable.
 *
 * <p>Addresses are kept as numbers (the monitor holds one key per live connection); the
 * {@link InetAddress} accessors make a new object on every call. Two keys are equal when every
 * component is, addresses compared as {@link InetAddress#equals} does (by their bytes; an IPv6
 * scope is not kept).
 *
 * <p>Peers choose their addresses, and {@link InetAddress#hashCode()} of an IPv6 address is the
 * sum of its four words, easy to make collide. So the hash code is a keyed hash with a per-process
 * secret (it differs between processes), and keys are ordered (family, protocol, remote address
 * bytes and port, local address bytes and port, pid, netns), so that even colliding keys would
 * share a balanced tree, not a list, in a hash map.
 */
public final class ConnectionKey implements Comparable<ConnectionKey> {
    private static final Family[] FAMILIES = Family.values();
    private static final Protocol[] PROTOCOLS = Protocol.values();
    private static final int LOCAL_WIDE = 1;
    private static final int REMOTE_WIDE = 2;
    private static final int LOCAL_HIGH = 0;
    private static final int LOCAL_LOW = 1;
    private static final int REMOTE_HIGH = 2;
    private static final int REMOTE_LOW = 3;

    static {
        KeyAccess.register(new Access());
    }

    private final byte family;
    private final byte protocol;
    /** Which addresses have 16 bytes ({@link #LOCAL_WIDE}, {@link #REMOTE_WIDE}); they live in {@link #wideWords}. */
    private final byte wide;
    private final char localPort;
    private final char remotePort;
    private final int pid;
    private final int localIpv4;
    private final int remoteIpv4;
    /** Local high, local low, remote high, remote low words; null when both addresses have 4 bytes. */
    private final long[] wideWords;
    private final long netns;

    /**
     * Creates a key.
     *
     * @param family address family
     * @param protocol transport protocol
     * @param localAddress address on this host
     * @param localPort port on this host, 0..65535
     * @param remoteAddress peer address
     * @param remotePort peer port, 0..65535
     * @param pid process id that owns the connection, 0 when unknown
     * @param netns network namespace inode, 0 when unknown
     * @throws NullPointerException when an enum or address is null
     * @throws IllegalArgumentException when a port is out of range
     */
    public ConnectionKey(Family family, Protocol protocol, InetAddress localAddress, int localPort,
            InetAddress remoteAddress, int remotePort, int pid, long netns) {
        this(family, protocol, Objects.requireNonNull(localAddress, "localAddress").getAddress(),
                Objects.requireNonNull(remoteAddress, "remoteAddress").getAddress(), localPort, remotePort, pid, netns);
    }

    /** From the bytes of two addresses, 4 or 16 each, taken as they are. */
    private ConnectionKey(Family family, Protocol protocol, byte[] local, byte[] remote, int localPort,
            int remotePort, int pid, long netns) {
        this(family, protocol, local.length == 16, word(local, 0), word(local, 8), localPort,
                remote.length == 16, word(remote, 0), word(remote, 8), remotePort, pid, netns);
    }

    /** From address words (see {@link KeyAccess}). */
    private ConnectionKey(Family family, Protocol protocol, boolean localIsWide, long localHigh, long localLow,
            int localPort, boolean remoteIsWide, long remoteHigh, long remoteLow, int remotePort, int pid,
            long netns) {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(protocol, "protocol");
        if (localPort < 0 || localPort > 0xFFFF || remotePort < 0 || remotePort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + localPort + ", " + remotePort);
        }
        this.family = (byte) family.ordinal();
        this.protocol = (byte) protocol.ordinal();
        this.localPort = (char) localPort;
        this.remotePort = (char) remotePort;
        this.pid = pid;
        this.netns = netns;
        this.wide = (byte) ((localIsWide ? LOCAL_WIDE : 0) | (remoteIsWide ? REMOTE_WIDE : 0));
        this.localIpv4 = localIsWide ? 0 : (int) (localHigh >>> 32);
        this.remoteIpv4 = remoteIsWide ? 0 : (int) (remoteHigh >>> 32);
        this.wideWords = wide == 0 ? null : new long[] {
                localIsWide ? localHigh : 0, localIsWide ? localLow : 0,
                remoteIsWide ? remoteHigh : 0, remoteIsWide ? remoteLow : 0};
    }

    /** A copy with another pid. */
    private ConnectionKey(ConnectionKey key, int pid) {
        this.family = key.family;
        this.protocol = key.protocol;
        this.wide = key.wide;
        this.localPort = key.localPort;
        this.remotePort = key.remotePort;
        this.pid = pid;
        this.localIpv4 = key.localIpv4;
        this.remoteIpv4 = key.remoteIpv4;
        this.wideWords = key.wideWords;
        this.netns = key.netns;
    }

    /** The big-endian word at {@code offset}; missing bytes (past an IPv4 address) count as zero. */
    private static long word(byte[] address, int offset) {
        long word = 0;
        for (int i = offset; i < offset + 8; i++) {
            word = word << 8 | (i < address.length ? address[i] & 0xFF : 0);
        }
        return word;
    }

    /** The big-endian number in {@code length} bytes at {@code offset}. */
    private static long number(byte[] bytes, int offset, int length) {
        long number = 0;
        for (int i = offset; i < offset + length; i++) {
            number = number << 8 | (bytes[i] & 0xFF);
        }
        return number;
    }

    /** {@return the address family} */
    public Family family() {
        return FAMILIES[family];
    }

    /** {@return the transport protocol} */
    public Protocol protocol() {
        return PROTOCOLS[protocol];
    }

    /** {@return the address on this host, a new object on every call} */
    public InetAddress localAddress() {
        return address((wide & LOCAL_WIDE) != 0, localHigh(), localLow());
    }

    /** {@return the port on this host, 0..65535} */
    public int localPort() {
        return localPort;
    }

    /** {@return the peer address, a new object on every call} */
    public InetAddress remoteAddress() {
        return address((wide & REMOTE_WIDE) != 0, remoteHigh(), remoteLow());
    }

    /** {@return the peer port, 0..65535} */
    public int remotePort() {
        return remotePort;
    }

    /** {@return the process id that owns the connection, 0 when unknown} */
    public int pid() {
        return pid;
    }

    /** {@return the network namespace inode, 0 when unknown} */
    public long netns() {
        return netns;
    }

    private long localHigh() {
        return (wide & LOCAL_WIDE) != 0 ? wideWords[LOCAL_HIGH] : (long) localIpv4 << 32;
    }

    private long localLow() {
        return (wide & LOCAL_WIDE) != 0 ? wideWords[LOCAL_LOW] : 0;
    }

    private long remoteHigh() {
        return (wide & REMOTE_WIDE) != 0 ? wideWords[REMOTE_HIGH] : (long) remoteIpv4 << 32;
    }

    private long remoteLow() {
        return (wide & REMOTE_WIDE) != 0 ? wideWords[REMOTE_LOW] : 0;
    }

    private static int copy(boolean isWide, long high, long low, byte[] into) {
        int length = isWide ? 16 : 4;
        for (int i = 0; i < length; i++) {
            into[i] = (byte) ((i < 8 ? high : low) >>> (56 - 8 * (i % 8)));
        }
        return length;
    }

    private static InetAddress address(boolean isWide, long high, long low) {
        byte[] bytes = new byte[isWide ? 16 : 4];
        copy(isWide, high, low, bytes);
        try {
            // Inet6Address keeps an IPv4-mapped address an IPv6 one, as the key was given it.
            return isWide ? Inet6Address.getByAddress(null, bytes, (NetworkInterface) null)
                    : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionKey key && family == key.family && protocol == key.protocol
                && wide == key.wide && localPort == key.localPort && remotePort == key.remotePort && pid == key.pid
                && localIpv4 == key.localIpv4 && remoteIpv4 == key.remoteIpv4 && netns == key.netns
                && Arrays.equals(wideWords, key.wideWords);
    }

    @Override
    public int hashCode() {
        long addresses = KeyedHash.PROCESS.hash(localHigh(), localLow(), remoteHigh(), remoteLow());
        long all = KeyedHash.PROCESS.hash(addresses,
                (long) localPort << 48 | (long) remotePort << 32 | Integer.toUnsignedLong(pid), netns,
                (long) family << 8 | protocol);
        return (int) (all ^ all >>> 32);
    }

    @Override
    public int compareTo(ConnectionKey other) {
        int order = Integer.compare(family, other.family);
        if (order == 0) {
            order = Integer.compare(protocol, other.protocol);
        }
        if (order == 0) {
            order = compareAddresses((wide & REMOTE_WIDE) != 0, remoteHigh(), remoteLow(),
                    (other.wide & REMOTE_WIDE) != 0, other.remoteHigh(), other.remoteLow());
        }
        if (order == 0) {
            order = Integer.compare(remotePort, other.remotePort);
        }
        if (order == 0) {
            order = compareAddresses((wide & LOCAL_WIDE) != 0, localHigh(), localLow(),
                    (other.wide & LOCAL_WIDE) != 0, other.localHigh(), other.localLow());
        }
        if (order == 0) {
            order = Integer.compare(localPort, other.localPort);
        }
        if (order == 0) {
            order = Integer.compare(pid, other.pid);
        }
        return order != 0 ? order : Long.compare(netns, other.netns);
    }

    /** Unsigned byte order, a shorter address before a longer one it begins. */
    private static int compareAddresses(boolean aWide, long aHigh, long aLow, boolean bWide, long bHigh, long bLow) {
        if (aWide == bWide) {
            int order = Long.compareUnsigned(aHigh, bHigh);
            return order != 0 ? order : Long.compareUnsigned(aLow, bLow);
        }
        int order = Long.compareUnsigned(aHigh >>> 32, bHigh >>> 32);
        return order != 0 ? order : aWide ? 1 : -1;
    }

    /**
     * The local address as the JSON lines write it: dotted IPv4, or IPv6 shortened as RFC 5952
     * says ({@code 2001:db8::1}, {@code ::ffff:192.0.2.1}); never a scope or a looked-up name.
     *
     * @return the local address as text
     */
    public String localAddressText() {
        return AddressText.of(localAddress());
    }

    /**
     * The remote address as text, in the form of {@link #localAddressText()}.
     *
     * @return the remote address as text
     */
    public String remoteAddressText() {
        return AddressText.of(remoteAddress());
    }

    /**
     * Copies the bytes of the local or the remote address, in network order, to the start of
     * {@code into}: what {@link FlowJsonWriter} formats, without an {@link InetAddress} or a new
     * array per address where the key's representation allows.
     *
     * @param remote true for the remote address, false for the local one
     * @param into at least 16 bytes long
     * @return the number of bytes copied: 4 for IPv4, 16 for IPv6
     */
    public int copyAddressBytes(boolean remote, byte[] into) {
        return remote ? copy((wide & REMOTE_WIDE) != 0, remoteHigh(), remoteLow(), into)
                : copy((wide & LOCAL_WIDE) != 0, localHigh(), localLow(), into);
    }

    @Override
    public String toString() {
        return protocol().jsonName() + " " + localAddressText() + ":" + (int) localPort + " -> "
                + remoteAddressText() + ":" + (int) remotePort + " pid=" + pid + " netns=" + netns;
    }

    /** The engine's access to the packed addresses. */
    private static final class Access extends KeyAccess {
        @Override
        public ConnectionKey create(Family family, Protocol protocol, byte[] localAddress, int localPort,
                byte[] remoteAddress, int remotePort, int pid, long netns) {
            boolean localIsWide = isWide(family, localAddress);
            boolean remoteIsWide = isWide(family, remoteAddress);
            return new ConnectionKey(family, protocol, localIsWide, high(family, localAddress),
                    localIsWide ? number(localAddress, 8, 8) : 0, localPort, remoteIsWide,
                    high(family, remoteAddress), remoteIsWide ? number(remoteAddress, 8, 8) : 0, remotePort, pid,
                    netns);
        }

        /** False when {@link InetAddress#getByAddress(byte[])} would make an IPv4 address of the bytes. */
        private static boolean isWide(Family family, byte[] address) {
            return family == Family.V6 && !isIpv4Mapped(address);
        }

        /** The high word of the address {@link InetAddress#getByAddress(byte[])} would make of the bytes. */
        private static long high(Family family, byte[] address) {
            if (isWide(family, address)) {
                return number(address, 0, 8);
            }
            return number(address, family == Family.V4 ? 0 : 12, 4) << 32;
        }

        private static boolean isIpv4Mapped(byte[] address) {
            for (int i = 0; i < 10; i++) {
                if (address[i] != 0) {
                    return false;
                }
            }
            return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
        }

        @Override
        public ConnectionKey withPid(ConnectionKey key, int pid) {
            return new ConnectionKey(key, pid);
        }

        @Override
        public boolean remoteIs(ConnectionKey key, Family family, byte[] remoteAddress) {
            boolean remoteIsWide = isWide(family, remoteAddress);
            return wide(key, End.REMOTE) == remoteIsWide && key.remoteHigh() == high(family, remoteAddress)
                    && key.remoteLow() == (remoteIsWide ? number(remoteAddress, 8, 8) : 0);
        }

        @Override
        public long high(ConnectionKey key, End end) {
            return end == End.LOCAL ? key.localHigh() : key.remoteHigh();
        }

        @Override
        public long low(ConnectionKey key, End end) {
            return end == End.LOCAL ? key.localLow() : key.remoteLow();
        }

        @Override
        public boolean wide(ConnectionKey key, End end) {
            return (key.wide & (end == End.LOCAL ? LOCAL_WIDE : REMOTE_WIDE)) != 0;
        }
    }
}
