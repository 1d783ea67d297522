package io.cnm4j.examples.cnm;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;

/** How the tool names the ends of a connection. */
final class Endpoints {
    private Endpoints() {
    }

    /** The local end: {@code 10.0.0.1:443} or {@code [2001:db8::1]:443}. */
    static String local(ConnectionKey key) {
        return withPort(key.localAddressText(), key.localPort());
    }

    /** The remote end, in the form of {@link #local}. */
    static String remote(ConnectionKey key) {
        return withPort(key.remoteAddressText(), key.remotePort());
    }

    /** The remote end: the first DNS name that resolved it when known, else its address. */
    static String remoteHost(ConnectionStats c) {
        return c.dnsNames().isEmpty() ? c.key().remoteAddressText() : c.dnsNames().get(0);
    }

    /** The remote end with its port: {@code example.com:443} or {@code 93.184.216.34:443}. */
    static String remoteWithPort(ConnectionStats c) {
        return c.dnsNames().isEmpty() ? remote(c.key()) : c.dnsNames().get(0) + ":" + c.key().remotePort();
    }

    private static String withPort(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
