package io.cnm4j.examples.kafka;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.DnsStatsKey;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Kafka record keys of the exported records. Records with equal keys go to the same partition,
 * so a key names the host and the flow: one connection's intervals stay in order. Stateless.
 */
public final class FlowRecordKeys {
    private FlowRecordKeys() {
    }

    /** {@code host/proto/laddr:lport/raddr:rport/pid/netns}, IPv6 addresses in brackets. */
    public static String connection(String host, ConnectionKey key) {
        return host + '/' + key.protocol().jsonName()
                + '/' + endpoint(key.localAddress(), key.localPort())
                + '/' + endpoint(key.remoteAddress(), key.remotePort())
                + '/' + key.pid() + '/' + key.netns();
    }

    /** {@code host/dns/client/server/domain/qtype}. */
    public static String dns(String host, DnsStatsKey key) {
        return host + "/dns/" + key.client().getHostAddress() + '/' + key.server().getHostAddress()
                + '/' + key.domain() + '/' + key.queryTypeName();
    }

    /** The host alone: a host's telemetry stays in order. */
    public static String telemetry(String host) {
        return host;
    }

    private static String endpoint(InetAddress address, int port) {
        return address instanceof Inet6Address
                ? "[" + address.getHostAddress() + "]:" + port
                : address.getHostAddress() + ":" + port;
    }
}
