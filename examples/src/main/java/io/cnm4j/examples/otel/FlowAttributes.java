package io.cnm4j.examples.otel;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.Family;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.net.InetAddress;
import java.util.Map;

/**
 * OpenTelemetry attributes of connections and DNS statistics. Names follow the semantic
 * conventions where they exist ({@code network.*}, {@code client.*}, {@code server.*},
 * {@code process.pid}, {@code dns.question.name}, {@code error.type}); what only cnm4j knows is
 * under {@code cnm.}: the direction, the DNS query type and rcode, and every tag as
 * {@code cnm.tag.<name>}. Stateless.
 */
public final class FlowAttributes {
    static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("network.transport");
    static final AttributeKey<String> NETWORK_TYPE = AttributeKey.stringKey("network.type");
    static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    static final AttributeKey<Long> CLIENT_PORT = AttributeKey.longKey("client.port");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> LOCAL_ADDRESS = AttributeKey.stringKey("network.local.address");
    static final AttributeKey<Long> LOCAL_PORT = AttributeKey.longKey("network.local.port");
    static final AttributeKey<String> PEER_ADDRESS = AttributeKey.stringKey("network.peer.address");
    static final AttributeKey<Long> PEER_PORT = AttributeKey.longKey("network.peer.port");
    static final AttributeKey<Long> PID = AttributeKey.longKey("process.pid");
    static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("cnm.direction");
    static final AttributeKey<String> IO_DIRECTION = AttributeKey.stringKey("network.io.direction");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> DNS_NAME = AttributeKey.stringKey("dns.question.name");
    static final AttributeKey<String> DNS_QUERY_TYPE = AttributeKey.stringKey("cnm.dns.query_type");
    static final AttributeKey<Long> DNS_RCODE = AttributeKey.longKey("cnm.dns.rcode");

    private FlowAttributes() {
    }

    /**
     * The attributes of one connection. Who is client and who server follows the direction:
     * outgoing, this host is the client; incoming, the server. For local and unknown directions
     * the roles are not known, so the ends are named local and peer instead.
     */
    public static Attributes connection(ConnectionStats c) {
        ConnectionKey key = c.key();
        AttributesBuilder attributes = Attributes.builder()
                .put(TRANSPORT, key.protocol().jsonName())
                .put(NETWORK_TYPE, key.family() == Family.V6 ? "ipv6" : "ipv4")
                .put(DIRECTION, c.direction().jsonName())
                .put(PID, (long) key.pid());
        switch (c.direction()) {
            case OUTGOING -> endpoints(attributes, CLIENT_ADDRESS, CLIENT_PORT, key.localAddress(), key.localPort())
                    .put(SERVER_ADDRESS, address(key.remoteAddress())).put(SERVER_PORT, (long) key.remotePort());
            case INCOMING -> endpoints(attributes, CLIENT_ADDRESS, CLIENT_PORT, key.remoteAddress(), key.remotePort())
                    .put(SERVER_ADDRESS, address(key.localAddress())).put(SERVER_PORT, (long) key.localPort());
            case LOCAL, NONE -> endpoints(attributes, LOCAL_ADDRESS, LOCAL_PORT, key.localAddress(), key.localPort())
                    .put(PEER_ADDRESS, address(key.remoteAddress())).put(PEER_PORT, (long) key.remotePort());
        }
        tags(attributes, c.tags());
        return attributes.build();
    }

    /** The attributes of one DNS statistics key: the resolver is the server, the asking host the client. */
    public static Attributes dns(DnsStatsKey key) {
        return Attributes.builder()
                .put(CLIENT_ADDRESS, address(key.client()))
                .put(SERVER_ADDRESS, address(key.server()))
                .put(DNS_NAME, key.domain())
                .put(DNS_QUERY_TYPE, key.queryTypeName())
                .build();
    }

    private static AttributesBuilder endpoints(AttributesBuilder attributes, AttributeKey<String> addressKey,
            AttributeKey<Long> portKey, InetAddress address, int port) {
        return attributes.put(addressKey, address(address)).put(portKey, (long) port);
    }

    private static void tags(AttributesBuilder attributes, Map<String, String> tags) {
        tags.forEach((name, value) -> attributes.put(AttributeKey.stringKey("cnm.tag." + name), value));
    }

    private static String address(InetAddress address) {
        // Without a scope id ("%eth0"), as the JSON lines write addresses.
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }
}
