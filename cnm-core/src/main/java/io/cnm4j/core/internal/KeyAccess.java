package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;

/**
 * The engine's way into {@link ConnectionKey}'s packed addresses, which the public API shows only as
 * {@link java.net.InetAddress} objects made on request: it builds keys from a backend's address bytes
 * and reads their address words without allocating. {@link ConnectionKey} registers the only
 * implementation when it is initialized.
 *
 * <p>Addresses are words as {@link ConnectionKey#hashCode()} reads them: a 4-byte address (IPv4, or
 * an IPv4-mapped IPv6 address as {@link java.net.InetAddress#getByAddress(byte[])} turns it) in the
 * top half of the high word and a low word of 0; a 16-byte address as its two big-endian halves.
 */
public abstract class KeyAccess {
    private static volatile KeyAccess registered;

    /** For {@link ConnectionKey} only. */
    protected KeyAccess() {
    }

    /** Called once, by {@link ConnectionKey}'s initializer. */
    public static synchronized void register(KeyAccess access) {
        if (registered != null) {
            throw new IllegalStateException("key access registered twice");
        }
        registered = access;
    }

    /** The implementation, once {@link ConnectionKey} is initialized. */
    static KeyAccess get() {
        KeyAccess access = registered;
        if (access == null) {
            try {
                Class.forName(ConnectionKey.class.getName(), true, ConnectionKey.class.getClassLoader());
            } catch (ClassNotFoundException impossible) {
                throw new IllegalStateException(impossible);
            }
            access = registered;
        }
        return access;
    }

    /**
     * A key from a backend's address buffers: the first 4 bytes for {@link Family#V4}, all 16 for
     * {@link Family#V6}; neither buffer is kept.
     */
    public abstract ConnectionKey create(Family family, Protocol protocol, byte[] localAddress, int localPort,
            byte[] remoteAddress, int remotePort, int pid, long netns);

    /** The same key with another pid. */
    public abstract ConnectionKey withPid(ConnectionKey key, int pid);

    /** True when the remote address of {@code key} is the one {@link #create} would take from these bytes. */
    public abstract boolean remoteIs(ConnectionKey key, Family family, byte[] remoteAddress);

    /** The high word of the address at {@code end}. */
    public abstract long high(ConnectionKey key, End end);

    /** The low word of the address at {@code end}. */
    public abstract long low(ConnectionKey key, End end);

    /** True when the address at {@code end} has 16 bytes. */
    public abstract boolean wide(ConnectionKey key, End end);

    /** One end of a connection. */
    public enum End {
        /** This host's end. */
        LOCAL,
        /** The peer's end. */
        REMOTE
    }
}
