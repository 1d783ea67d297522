package io.cnm4j.dns.internal;

import io.cnm4j.dns.internal.Ipv6Bits;
import java.net.InetAddress;

/**
 * One DNS query that got its response or timed out, as handed to {@link DnsQueryListener}: who asked
 * whom, for what, what came back and how long it took.
 *
 * <p>A view that the matcher refills for every completion: read it during the callback and copy
 * what you keep. Addresses are available without allocation as two longs (IPv4 in IPv4-mapped form,
 * {@code ::ffff:a.b.c.d}) or as bytes, and as an {@link InetAddress} when allocation is acceptable.
 * Not thread-safe.
 */
final class CompletedDnsQuery {
    /** {@link #responseCode()} of a query that timed out. */
    public static final int NO_RESPONSE = -1;

    private long clientHigh;
    private long clientLow;
    private long serverHigh;
    private long serverLow;
    private int clientPort;
    private int ipProtocol;
    private int transactionId;
    private String domain;
    private int queryType;
    private int responseCode;
    private long latencyMicros;

    CompletedDnsQuery() {
    }

    /** True when the client address is IPv4 (and so, on the wire, the server's). */
    public boolean isIpv4() {
        return Ipv6Bits.isIpv4(clientHigh, clientLow);
    }

    /** Upper 64 bits of the client address (0 for IPv4). */
    public long clientAddressHigh() {
        return clientHigh;
    }

    /** Lower 64 bits of the client address ({@code 0x0000ffff_xxxxxxxx} for IPv4). */
    public long clientAddressLow() {
        return clientLow;
    }

    /** Upper 64 bits of the server address (0 for IPv4). */
    public long serverAddressHigh() {
        return serverHigh;
    }

    /** Lower 64 bits of the server address ({@code 0x0000ffff_xxxxxxxx} for IPv4). */
    public long serverAddressLow() {
        return serverLow;
    }

    /** Writes the client address in network byte order; returns its length, 4 or 16. */
    public int copyClientAddress(byte[] destination, int offset) {
        return Ipv6Bits.copy(clientHigh, clientLow, destination, offset);
    }

    /** Writes the server address in network byte order; returns its length, 4 or 16. */
    public int copyServerAddress(byte[] destination, int offset) {
        return Ipv6Bits.copy(serverHigh, serverLow, destination, offset);
    }

    /** The client address; allocates. */
    public InetAddress clientAddress() {
        return Ipv6Bits.toInetAddress(clientHigh, clientLow);
    }

    /** The server address; allocates. */
    public InetAddress serverAddress() {
        return Ipv6Bits.toInetAddress(serverHigh, serverLow);
    }

    /** Port the client sent the query from. */
    public int clientPort() {
        return clientPort;
    }

    /** {@link DnsPacketFlow#UDP} or {@link DnsPacketFlow#TCP}. */
    public int ipProtocol() {
        return ipProtocol;
    }

    /** The DNS transaction id shared by query and response. */
    public int transactionId() {
        return transactionId;
    }

    /** Lower-case queried name, from the query; an interned String. */
    public String domain() {
        return domain;
    }

    /** Type of the query: 1 A, 28 AAAA, 12 PTR… */
    public int queryType() {
        return queryType;
    }

    /** True when no response arrived within the timeout. */
    public boolean isTimeout() {
        return responseCode == NO_RESPONSE;
    }

    /** The response's rcode (0 NOERROR, 3 NXDOMAIN…), or {@link #NO_RESPONSE} after a timeout. */
    public int responseCode() {
        return responseCode;
    }

    /**
     * Microseconds from query to response by capture timestamps; after a timeout, from the query to
     * the moment the timeout was noticed.
     */
    public long latencyMicros() {
        return latencyMicros;
    }

    void setAddresses(long clientHighBits, long clientLowBits, long serverHighBits, long serverLowBits) {
        this.clientHigh = clientHighBits;
        this.clientLow = clientLowBits;
        this.serverHigh = serverHighBits;
        this.serverLow = serverLowBits;
    }

    void setQuery(int clientPort, int ipProtocol, int transactionId, String domain, int queryType) {
        this.clientPort = clientPort;
        this.ipProtocol = ipProtocol;
        this.transactionId = transactionId;
        this.domain = domain;
        this.queryType = queryType;
    }

    void setResult(int responseCode, long latencyMicros) {
        this.responseCode = responseCode;
        this.latencyMicros = latencyMicros;
    }

    @Override
    public String toString() {
        return "CompletedDnsQuery[" + (ipProtocol == DnsPacketFlow.TCP ? "tcp " : "udp ")
                + clientAddress().getHostAddress() + ":" + clientPort + " -> " + serverAddress().getHostAddress()
                + ", id=" + transactionId + ", domain=" + domain + ", qtype=" + queryType
                + (isTimeout() ? ", timeout" : ", rcode=" + responseCode) + ", latencyMicros=" + latencyMicros + "]";
    }
}
