package io.cnm4j.core.internal;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * The {@link AddressText} of {@link InetAddress}es that repeat from line to line (NAT translations,
 * DNS clients and servers), kept so that writing one again allocates nothing:
 * {@link InetAddress#getAddress()} returns a new copy of the bytes at every call, and an address
 * held as an {@link InetAddress} has no other way to its bytes.
 *
 * <p>Direct-mapped by {@link InetAddress#hashCode()} (computed from the bytes, without allocating):
 * a miss replaces the slot's entry. Not thread-safe.
 */
public final class AddressTextCache {
    private final InetAddress[] addresses;
    private final byte[][] texts;
    private final int mask;

    /**
     * A cache of {@code slots} addresses.
     *
     * @param slots a power of two
     */
    public AddressTextCache(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        addresses = new InetAddress[slots];
        texts = new byte[slots][];
        mask = slots - 1;
    }

    /**
     * The text of {@code address} in ASCII, as {@link AddressText#format} writes it; the returned
     * array is the cache's own, to be copied and not changed.
     */
    public byte[] text(InetAddress address) {
        int slot = address.hashCode() & mask;
        InetAddress cached = addresses[slot];
        if (cached != null && (cached == address || cached.equals(address))) {
            return texts[slot];
        }
        byte[] bytes = address.getAddress();
        byte[] formatted = new byte[AddressText.MAX_LENGTH];
        int length = AddressText.format(bytes, bytes.length, formatted, 0);
        byte[] text = Arrays.copyOf(formatted, length);
        addresses[slot] = address;
        texts[slot] = text;
        return text;
    }
}
