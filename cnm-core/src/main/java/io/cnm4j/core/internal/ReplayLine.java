package io.cnm4j.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cnm4j.core.Direction;
import io.cnm4j.core.DnsQueryType;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.ConnectionEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Parses one line of a replay file into a reusable holder. The format is documented on
 * {@link io.cnm4j.core.replay.ReplayBackend}. Not thread-safe.
 */
public final class ReplayLine {
    /** What a line describes. */
    public enum Kind { UPDATE, CLOSED, DNS, TICK }

    private static final JsonFactory JSON = new JsonFactory();

    private final ConnectionEvent event = new ConnectionEvent();
    private Kind kind;
    private boolean flowIdGiven;
    private InetAddress dnsClient;
    private InetAddress dnsServer;
    private String dnsDomain;
    private int dnsQueryType;
    private int dnsRcode;
    private long dnsLatencyMicros;
    private boolean dnsTimeout;
    private int widestAddress;

    /**
     * Parses a line.
     *
     * @throws IllegalArgumentException naming the problem when the line is not a valid record
     */
    public void parse(String line) {
        event.reset();
        kind = null;
        flowIdGiven = false;
        dnsClient = null;
        dnsServer = null;
        dnsDomain = "";
        dnsQueryType = 1;
        dnsRcode = 0;
        dnsLatencyMicros = 0;
        dnsTimeout = false;
        widestAddress = 0;
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                field(field, parser);
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the object");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (kind == null) {
            throw new IllegalArgumentException("missing \"event\"");
        }
        if (!flowIdGiven) {
            event.flowId(event.cookie());
        }
        if (widestAddress == 16 && event.family() == Family.V4) {
            throw new IllegalArgumentException("an IPv6 address needs \"family\":\"v6\"");
        }
        if (kind == Kind.DNS && (dnsClient == null || dnsServer == null)) {
            throw new IllegalArgumentException("a dns record needs \"client\" and \"server\"");
        }
    }

    private void field(String field, JsonParser p) throws IOException {
        switch (field) {
            case "event" -> {
                kind = switch (text(p, field).toLowerCase(Locale.ROOT)) {
                    case "update" -> Kind.UPDATE;
                    case "closed" -> Kind.CLOSED;
                    case "dns" -> Kind.DNS;
                    case "tick" -> Kind.TICK;
                    default -> throw new IllegalArgumentException("unknown event '" + p.getText() + "'");
                };
                event.kind(kind == Kind.CLOSED ? ConnectionEvent.Kind.CLOSED : ConnectionEvent.Kind.UPDATE);
            }
            case "flow_id" -> {
                event.flowId(number(p, field));
                flowIdGiven = true;
            }
            case "cookie" -> event.cookie(number(p, field));
            case "proto" -> event.protocol(switch (text(p, field)) {
                case "tcp" -> Protocol.TCP;
                case "udp" -> Protocol.UDP;
                default -> throw new IllegalArgumentException("proto must be tcp or udp");
            });
            case "family" -> event.family(switch (text(p, field)) {
                case "v4" -> Family.V4;
                case "v6" -> Family.V6;
                default -> throw new IllegalArgumentException("family must be v4 or v6");
            });
            case "laddr" -> copyAddress(text(p, field), event.localAddress());
            case "raddr" -> copyAddress(text(p, field), event.remoteAddress());
            case "lport" -> event.localPort(port(p, field));
            case "rport" -> event.remotePort(port(p, field));
            case "pid" -> event.pid((int) number(p, field));
            case "netns" -> event.netns(number(p, field));
            case "comm" -> event.comm(text(p, field));
            case "cgroup_id" -> event.cgroupId(number(p, field));
            case "direction" -> event.direction(direction(text(p, field)));
            case "bytes_sent" -> event.bytesSent(number(p, field));
            case "bytes_recv" -> event.bytesReceived(number(p, field));
            case "packets_sent" -> event.packetsSent(number(p, field));
            case "packets_recv" -> event.packetsReceived(number(p, field));
            case "retransmits" -> event.retransmits(number(p, field));
            case "established" -> event.establishedAfterStart(bool(p, field));
            case "rtt_us" -> event.rttMicros(number(p, field));
            case "rtt_var_us" -> event.rttVarMicros(number(p, field));
            case "errno" -> event.failureErrno((int) number(p, field));
            case "start_ns" -> event.startEpochNanos(number(p, field));
            case "ts_ns" -> event.lastUpdateEpochNanos(number(p, field));
            case "client" -> dnsClient = address(text(p, field));
            case "server" -> dnsServer = address(text(p, field));
            case "domain" -> dnsDomain = text(p, field).toLowerCase(Locale.ROOT);
            case "qtype" -> dnsQueryType = DnsQueryType.number(text(p, field))
                    .orElseThrow(() -> new IllegalArgumentException("unknown qtype"));
            case "rcode" -> dnsRcode = (int) number(p, field);
            case "latency_us" -> dnsLatencyMicros = number(p, field);
            case "timeout" -> dnsTimeout = bool(p, field);
            default -> throw new IllegalArgumentException("unknown field \"" + field + "\"");
        }
    }

    private static Direction direction(String text) {
        for (Direction d : Direction.values()) {
            if (d.jsonName().equals(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("direction must be incoming, outgoing, local or none");
    }

    private static String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return p.getText();
    }

    private static long number(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("\"" + field + "\" must be an integer");
        }
        long value = p.getLongValue();
        if (value < 0) {
            throw new IllegalArgumentException("\"" + field + "\" must not be negative");
        }
        return value;
    }

    private static int port(JsonParser p, String field) throws IOException {
        long value = number(p, field);
        if (value > 0xFFFF) {
            throw new IllegalArgumentException("\"" + field + "\" must be a port 0..65535");
        }
        return (int) value;
    }

    private static boolean bool(JsonParser p, String field) {
        if (!p.currentToken().isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" must be true or false");
        }
        return p.currentToken() == JsonToken.VALUE_TRUE;
    }

    private void copyAddress(String text, byte[] target) {
        byte[] bytes = InetLiteral.parse(text);
        widestAddress = Math.max(widestAddress, bytes.length);
        System.arraycopy(bytes, 0, target, 0, bytes.length);
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByAddress(InetLiteral.parse(text));
        } catch (UnknownHostException impossible) {
            throw new IllegalArgumentException(impossible.getMessage());
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The connection event of an update or closed line; reused by the next parse. */
    public ConnectionEvent event() {
        return event;
    }

    public DnsStatsKey dnsKey() {
        return new DnsStatsKey(dnsClient, dnsServer, dnsDomain, dnsQueryType);
    }

    public boolean dnsTimeout() {
        return dnsTimeout;
    }

    public int dnsRcode() {
        return dnsRcode;
    }

    public long dnsLatencyMicros() {
        return dnsLatencyMicros;
    }
}
