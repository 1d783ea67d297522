package io.cnm4j.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cnm4j.core.Direction;
import io.cnm4j.core.DnsQueryType;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.replay.ReplayRecordException;
import io.cnm4j.core.spi.ConnectionEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses one line of a replay file into a reusable holder. The format is documented on
 * {@link io.cnm4j.core.replay.ReplayBackendProvider}. A record is complete or rejected: nothing
 * that identifies a flow or a DNS exchange is ever invented. Not thread-safe.
 */
public final class ReplayLine {
    /** What a line describes. */
    public enum Kind { UPDATE, CLOSED, DNS, TICK }

    private static final JsonFactory JSON = new JsonFactory();
    /** What identifies a connection: without any of them, records of different flows would merge. */
    private static final List<String> CONNECTION_FIELDS = List.of("cookie", "proto", "family", "laddr", "lport",
            "raddr", "rport");
    private static final List<String> DNS_FIELDS = List.of("client", "server", "domain");
    private static final int MAX_ERRNO = 4095;
    /** DNS response codes, with the EDNS extended bits. */
    private static final int MAX_RCODE = 4095;

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
    private final Set<String> given = new HashSet<>();
    private int localAddressLength;
    private int remoteAddressLength;

    /**
     * Parses a line.
     *
     * @param lineNumber the line's 1-based number, for the error
     * @throws ReplayRecordException naming the line and the problem when it is not a complete record
     */
    public void parse(String line, long lineNumber) {
        try {
            parse(line);
        } catch (IllegalArgumentException e) {
            throw new ReplayRecordException(lineNumber, e.getMessage());
        }
    }

    private void parse(String line) {
        event.reset();
        given.clear();
        kind = null;
        flowIdGiven = false;
        dnsClient = null;
        dnsServer = null;
        dnsDomain = "";
        dnsQueryType = 1;
        dnsRcode = 0;
        dnsLatencyMicros = 0;
        dnsTimeout = false;
        localAddressLength = 0;
        remoteAddressLength = 0;
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (!given.add(field)) {
                    throw new IllegalArgumentException("field \"" + field + "\" is given twice");
                }
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
        switch (kind) {
            case UPDATE, CLOSED -> checkConnection();
            case DNS -> checkDns();
            case TICK -> {
            }
        }
    }

    private void checkConnection() {
        require(CONNECTION_FIELDS);
        if (!flowIdGiven) {
            event.flowId(event.cookie());
        }
        int addressLength = event.family() == Family.V4 ? 4 : 16;
        if (localAddressLength != addressLength || remoteAddressLength != addressLength) {
            throw new IllegalArgumentException("\"family\":\"" + event.family().name().toLowerCase(Locale.ROOT)
                    + "\" needs " + (addressLength == 4 ? "IPv4" : "IPv6") + " addresses in laddr and raddr");
        }
    }

    private void checkDns() {
        require(DNS_FIELDS);
        if (!given.contains("rcode") && !dnsTimeout) {
            throw new IllegalArgumentException("dns record without \"rcode\" or \"timeout\":true");
        }
    }

    private void require(List<String> fields) {
        for (String field : fields) {
            if (!given.contains(field)) {
                throw new IllegalArgumentException(kind.name().toLowerCase(Locale.ROOT) + " record without \""
                        + field + "\"");
            }
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
            case "laddr" -> localAddressLength = copyAddress(text(p, field), event.localAddress());
            case "raddr" -> remoteAddressLength = copyAddress(text(p, field), event.remoteAddress());
            case "lport" -> event.localPort(port(p, field));
            case "rport" -> event.remotePort(port(p, field));
            case "pid" -> event.pid((int) bounded(p, field, Integer.MAX_VALUE));
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
            case "errno" -> event.failureErrno((int) bounded(p, field, MAX_ERRNO));
            case "start_ns" -> event.startEpochNanos(number(p, field));
            case "ts_ns" -> event.lastUpdateEpochNanos(number(p, field));
            case "client" -> dnsClient = address(text(p, field));
            case "server" -> dnsServer = address(text(p, field));
            case "domain" -> dnsDomain = text(p, field).toLowerCase(Locale.ROOT);
            case "qtype" -> dnsQueryType = DnsQueryType.number(text(p, field))
                    .orElseThrow(() -> new IllegalArgumentException("unknown qtype"));
            case "rcode" -> dnsRcode = (int) bounded(p, field, MAX_RCODE);
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
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new IllegalArgumentException("\"" + field + "\" does not fit in 63 bits");
        }
        long value = p.getLongValue();
        if (value < 0) {
            throw new IllegalArgumentException("\"" + field + "\" must not be negative");
        }
        return value;
    }

    private static int port(JsonParser p, String field) throws IOException {
        return (int) bounded(p, field, 0xFFFF);
    }

    private static long bounded(JsonParser p, String field, long max) throws IOException {
        long value = number(p, field);
        if (value > max) {
            throw new IllegalArgumentException("\"" + field + "\" must be 0.." + max);
        }
        return value;
    }

    private static boolean bool(JsonParser p, String field) {
        if (!p.currentToken().isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" must be true or false");
        }
        return p.currentToken() == JsonToken.VALUE_TRUE;
    }

    /** Copies a literal's bytes into the event; returns their number (4 or 16). */
    private static int copyAddress(String text, byte[] target) {
        byte[] bytes = InetLiteral.parse(text);
        System.arraycopy(bytes, 0, target, 0, bytes.length);
        return bytes.length;
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
