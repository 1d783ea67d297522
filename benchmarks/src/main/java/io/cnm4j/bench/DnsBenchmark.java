package io.cnm4j.bench;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.dns.internal.DnsMessage;
import io.cnm4j.dns.internal.DnsMessageParser;
import io.cnm4j.dns.internal.DnsPacketFlow;
import io.cnm4j.dns.internal.DnsParseStatus;
import io.cnm4j.dns.internal.DnsTrafficProcessor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The DNS work of the packet-capture thread (cnm-dns), on a typical lookup over UDP/IPv4: an A
 * query for {@value #DOMAIN} and its response, which answers through a CNAME
 * ({@value #CNAME_TARGET}) with one address; both messages carry an EDNS OPT record, and the
 * response compresses its names as servers do.
 *
 * <ul>
 *   <li>{@link #parseResponse}: {@link DnsMessageParser#parse} of the 90-byte response into a
 *       reused {@link DnsMessage}: every section walked, the CNAME followed to the address. One
 *       operation is one packet.
 *   <li>{@link #queryAndResponse}: the 44-byte query, then its response, through
 *       {@link DnsTrafficProcessor#onUdpPayload}: both parsed, the query held pending and matched
 *       by the response, the completion aggregated by the stats keeper, the answer recorded in the
 *       reverse-DNS cache. The domain has been seen before; every lookup has its own transaction
 *       id, and its response comes {@value #RESPONSE_AFTER_NANOS} ns after the query. One
 *       operation is the pair: two packets.
 * </ul>
 *
 * Target: 0 B/op in the steady state, for both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DnsBenchmark {
    static final String DOMAIN = "www.example.com";
    static final String CNAME_TARGET = "edge.example.net";
    static final long RESPONSE_AFTER_NANOS = 250_000;
    private static final long LOOKUP_INTERVAL_NANOS = 1_000_000;
    private static final byte[] ANSWER_ADDRESS = {93, (byte) 184, (byte) 216, 34};
    private static final int EDNS_UDP_PAYLOAD_SIZE = 1232;
    private static final int TYPE_A = 1;
    private static final int TYPE_CNAME = 5;
    private static final int CLASS_IN = 1;
    private static final int TTL_SECONDS = 300;

    private final DnsMessageParser parser = new DnsMessageParser();
    private final DnsMessage message = new DnsMessage();
    private final DnsPacketFlow clientToServer = new DnsPacketFlow();
    private final DnsPacketFlow serverToClient = new DnsPacketFlow();
    private DnsTrafficProcessor processor;
    private byte[] query;
    private byte[] response;
    private long lookups;
    private long captureNanos;

    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        query = query(0);
        response = response(0);
        InetAddress client = InetAddress.getByName("192.168.1.23");
        InetAddress resolver = InetAddress.getByName("192.168.1.1");
        clientToServer.ipProtocol(DnsPacketFlow.UDP).source(client, 53124).destination(resolver, 53);
        serverToClient.ipProtocol(DnsPacketFlow.UDP).source(resolver, 53).destination(client, 53124);

        check(parser.parse(response, 0, response.length, message) == DnsParseStatus.OK, "response does not parse");
        byte[] address = new byte[16];
        int addressLength = message.answerAddressCount() == 1 ? message.copyAnswerAddress(0, address, 0) : 0;
        check(message.isResponse() && message.questionNameLength() == DOMAIN.length()
                && Arrays.equals(address, 0, addressLength, ANSWER_ADDRESS, 0, ANSWER_ADDRESS.length)
                && message.ednsUdpPayloadSize() == EDNS_UDP_PAYLOAD_SIZE, "response parsed as " + message);

        processor = DnsTrafficProcessor.create(MonitorConfig.builder().build());
        captureNanos = System.nanoTime();
        // First sight of the domain: interns it and creates its statistics entry and cache entry.
        queryAndResponse();
        checkEveryLookupMatched();
    }

    @TearDown(Level.Trial)
    public void checkEveryLookupMatched() {
        Map<String, Long> telemetry = processor.telemetry();
        check(telemetry.get("dns_messages_parsed") == 2 * lookups
                && telemetry.get("dns_matched_responses") == lookups
                && telemetry.get("dns_answers_cached") == lookups
                && telemetry.get("dns_pending_queries") == 0
                && telemetry.get("dns_parse_errors") == 0
                && telemetry.get("dns_unsolicited_responses") == 0
                && telemetry.get("dns_duplicate_queries") == 0,
                lookups + " lookups, telemetry " + telemetry);
    }

    @Benchmark
    public int parseResponse() {
        DnsParseStatus status = parser.parse(response, 0, response.length, message);
        if (status != DnsParseStatus.OK) {
            throw new IllegalStateException("response does not parse: " + status);
        }
        return message.answerAddressCount();
    }

    @Benchmark
    public DnsParseStatus queryAndResponse() {
        // A fresh transaction id per lookup, as a stub resolver picks, so that the pending-query
        // table sees a new key each time.
        int id = (int) ++lookups & 0xFFFF;
        setTransactionId(query, id);
        setTransactionId(response, id);
        captureNanos += LOOKUP_INTERVAL_NANOS;
        DnsParseStatus status = processor.onUdpPayload(clientToServer, query, 0, query.length, captureNanos);
        if (status != DnsParseStatus.OK) {
            throw new IllegalStateException("query does not parse: " + status);
        }
        return processor.onUdpPayload(serverToClient, response, 0, response.length,
                captureNanos + RESPONSE_AFTER_NANOS);
    }

    /** Standard query with recursion desired, EDNS with a 1232-byte payload (the DNS flag day 2020 size). */
    private static byte[] query(int id) {
        return new DnsWireWriter()
                .header(id, 0x0100, 1, 0, 0, 1)
                .name(DOMAIN).u16(TYPE_A).u16(CLASS_IN)
                .ednsOpt(EDNS_UDP_PAYLOAD_SIZE)
                .toByteArray();
    }

    /** NOERROR, recursion desired and available: DOMAIN is a CNAME of CNAME_TARGET, which has one A record. */
    private static byte[] response(int id) {
        DnsWireWriter wire = new DnsWireWriter().header(id, 0x8180, 1, 2, 0, 1);
        int question = wire.position();
        wire.name(DOMAIN).u16(TYPE_A).u16(CLASS_IN);
        wire.pointer(question).recordFields(TYPE_CNAME, CLASS_IN, TTL_SECONDS, DnsWireWriter.encodedLength(CNAME_TARGET));
        int target = wire.position();
        wire.name(CNAME_TARGET);
        wire.pointer(target).recordFields(TYPE_A, CLASS_IN, TTL_SECONDS, ANSWER_ADDRESS.length).bytes(ANSWER_ADDRESS);
        return wire.ednsOpt(EDNS_UDP_PAYLOAD_SIZE).toByteArray();
    }

    private static void setTransactionId(byte[] message, int id) {
        message[0] = (byte) (id >>> 8);
        message[1] = (byte) id;
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }
}
