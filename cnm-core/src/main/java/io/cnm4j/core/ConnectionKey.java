package io.cnm4j.core;

import io.cnm4j.core.internal.AddressText;
import io.cnm4j.core.internal.KeyedHash;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * The tuple that identifies a connection for delivery: connections with equal keys and
 * direction are aggregated in a snapshot, whatever their socket cookies.
 *
 * <p>Peers choose their addresses, and {@link InetAddress#hashCode()} of an IPv6 address is the
 * sum of its four words, easy to make collide. So the hash code is a keyed hash with a per-process
 * secret (it differs between processes), and keys are ordered (family, protocol, remote address
 * bytes and port, local address bytes and port, pid, netns), so that even colliding keys would
 * share a balanced tree, not a list, in a hash map.
 *
 * @param family address family
 * @param protocol transport protocol
 * @param localAddress address on this host
 * @param localPort port on this host, 0..65535
 * @param remoteAddress peer address
 * @param remotePort peer port, 0..65535
 * @param pid process id that owns the connection, 0 when unknown
 * @param netns network namespace inode, 0 when unknown
 */
public record ConnectionKey(
        Family family,
        Protocol protocol,
        InetAddress localAddress,
        int localPort,
        InetAddress remoteAddress,
        int remotePort,
        int pid,
        long netns) implements Comparable<ConnectionKey> {

    private static final Comparator<ConnectionKey> ORDER = Comparator.comparing(ConnectionKey::family)
            .thenComparing(ConnectionKey::protocol)
            .thenComparing((a, b) -> compareAddresses(a.remoteAddress, b.remoteAddress))
            .thenComparingInt(ConnectionKey::remotePort)
            .thenComparing((a, b) -> compareAddresses(a.localAddress, b.localAddress))
            .thenComparingInt(ConnectionKey::localPort)
            .thenComparingInt(ConnectionKey::pid)
            .thenComparingLong(ConnectionKey::netns);

    /**
     * Creates an instance from its components.
     */
    public ConnectionKey {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        if (localPort < 0 || localPort > 0xFFFF || remotePort < 0 || remotePort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + localPort + ", " + remotePort);
        }
    }

    @Override
    public int hashCode() {
        byte[] local = localAddress.getAddress();
        byte[] remote = remoteAddress.getAddress();
        long addresses = KeyedHash.PROCESS.hash(word(local, 0), word(local, 8), word(remote, 0), word(remote, 8));
        long all = KeyedHash.PROCESS.hash(addresses,
                (long) localPort << 48 | (long) remotePort << 32 | Integer.toUnsignedLong(pid), netns,
                (long) family.ordinal() << 8 | protocol.ordinal());
        return (int) (all ^ all >>> 32);
    }

    /** The big-endian word at {@code offset}; missing bytes (past an IPv4 address) count as zero. */
    private static long word(byte[] address, int offset) {
        long word = 0;
        for (int i = offset; i < offset + 8; i++) {
            word = word << 8 | (i < address.length ? address[i] & 0xFF : 0);
        }
        return word;
    }

    @Override
    public int compareTo(ConnectionKey other) {
        return ORDER.compare(this, other);
    }

    private static int compareAddresses(InetAddress a, InetAddress b) {
        return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }

    /**
     * The local address as the JSON lines write it: dotted IPv4, or IPv6 shortened as RFC 5952
     * says ({@code 2001:db8::1}, {@code ::ffff:192.0.2.1}); never a scope or a looked-up name.
     *
     * @return the local address as text
     */
    public String localAddressText() {
        return AddressText.of(localAddress);
    }

    /**
     * The remote address as text, in the form of {@link #localAddressText()}.
     *
     * @return the remote address as text
     */
    public String remoteAddressText() {
        return AddressText.of(remoteAddress);
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
        byte[] bytes = (remote ? remoteAddress : localAddress).getAddress();
        System.arraycopy(bytes, 0, into, 0, bytes.length);
        return bytes.length;
    }

    @Override
    public String toString() {
        return protocol.jsonName() + " " + localAddressText() + ":" + localPort + " -> "
                + remoteAddressText() + ":" + remotePort + " pid=" + pid + " netns=" + netns;
    }
}
