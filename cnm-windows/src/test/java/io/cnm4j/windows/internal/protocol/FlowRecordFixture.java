package io.cnm4j.windows.internal.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds golden {@code USER_FLOW_DATA} bytes from the offset tables of WINDOWS.md §4.1, written
 * here by hand (not from {@link FlowRecordLayout}), so that the decoder is checked against the
 * documented layout rather than against itself. Version 0x14/0x16 records have no flowCookie, so
 * every field from processId to the TCP union sits 8 bytes earlier.
 */
public final class FlowRecordFixture {
    public long flowHandle;
    public long flowCookie;
    public long processId;
    public int addressFamily = 2;
    public int protocol = 6;
    public int flags;
    public byte[] localAddress = new byte[16];
    public byte[] remoteAddress = new byte[16];
    public long packetsOut;
    public long monotonicSentBytes;
    public long transportBytesOut;
    public long packetsIn;
    public long monotonicRecvBytes;
    public long transportBytesIn;
    public long timestamp;
    public int localPort;
    public int remotePort;
    public int classificationStatus;
    public int classifyRequest;
    public int classifyResponse;
    public int h2Requested;
    public int h2Accepted;
    public int tlsVersionsOffered;
    public int tlsVersionChosen;
    public long alpnRequested;
    public long alpnChosen;
    public long initialRtt;
    public long smoothedRtt;
    public long rttVariance;
    public long retransmitCount;
    public int connectionStatus;
    public int interfaceIndex;
    public int tlsCipherSuite;

    /** The record's bytes in a version's layout. */
    public byte[] encode(DriverVersion version) {
        ByteBuffer b = ByteBuffer.allocate(version.flowRecordSize()).order(ByteOrder.LITTLE_ENDIAN);
        int shift = version == DriverVersion.V18 ? 0 : -8;
        b.putLong(0, flowHandle);
        if (version == DriverVersion.V18) {
            b.putLong(8, flowCookie);
        }
        b.putLong(16 + shift, processId);
        b.putShort(24 + shift, (short) addressFamily);
        b.putShort(26 + shift, (short) protocol);
        b.putInt(28 + shift, flags);
        b.put(32 + shift, localAddress);
        b.put(48 + shift, remoteAddress);
        b.putLong(64 + shift, packetsOut);
        b.putLong(72 + shift, monotonicSentBytes);
        b.putLong(80 + shift, transportBytesOut);
        b.putLong(88 + shift, packetsIn);
        b.putLong(96 + shift, monotonicRecvBytes);
        b.putLong(104 + shift, transportBytesIn);
        b.putLong(112 + shift, timestamp);
        b.putShort(120 + shift, (short) localPort);
        b.putShort(122 + shift, (short) remotePort);
        b.putShort(124 + shift, (short) classificationStatus);
        b.putShort(126 + shift, (short) classifyRequest);
        b.putShort(128 + shift, (short) classifyResponse);
        b.put(130 + shift, (byte) h2Requested);
        b.put(131 + shift, (byte) h2Accepted);
        b.putShort(132 + shift, (short) tlsVersionsOffered);
        b.putShort(134 + shift, (short) tlsVersionChosen);
        b.putLong(136 + shift, alpnRequested);
        b.putLong(144 + shift, alpnChosen);
        if (protocol == 6) {
            b.putLong(152 + shift, initialRtt);
            b.putLong(160 + shift, smoothedRtt);
            b.putLong(168 + shift, rttVariance);
            b.putLong(176 + shift, retransmitCount);
            if (version != DriverVersion.V14) {
                b.putInt(184 + shift, connectionStatus);
            }
        }
        if (version == DriverVersion.V18) {
            b.putInt(188, interfaceIndex);
            b.putShort(192, (short) tlsCipherSuite);
        }
        return b.array();
    }

    /** Records back to back, as the driver returns them. */
    public static byte[] concat(DriverVersion version, FlowRecordFixture... records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FlowRecordFixture record : records) {
            out.writeBytes(record.encode(version));
        }
        return out.toByteArray();
    }

    /** An IPv4 TCP flow 10.0.0.5:50000 → 93.184.216.34:443 with distinct values in every field. */
    public static FlowRecordFixture tcp4(long id) {
        FlowRecordFixture r = new FlowRecordFixture();
        r.flowHandle = 0x1000 + id;
        r.flowCookie = 0xC00C1E0000L + id;
        r.processId = 4242;
        r.addressFamily = 2;
        r.protocol = 6;
        r.flags = 0x200;
        r.localAddress = address(10, 0, 0, 5);
        r.remoteAddress = address(93, 184, 216, 34);
        r.packetsOut = 11;
        r.monotonicSentBytes = 1_540;
        r.transportBytesOut = 1_000;
        r.packetsIn = 12;
        r.monotonicRecvBytes = 2_680;
        r.transportBytesIn = 2_000;
        r.timestamp = 3_000_000_000L;
        r.localPort = 50_000;
        r.remotePort = 443;
        r.classificationStatus = 1;
        r.classifyRequest = 10;
        r.classifyResponse = 2;
        r.h2Requested = 1;
        r.h2Accepted = 0;
        r.tlsVersionsOffered = 0x7;
        r.tlsVersionChosen = 0x0304;
        r.alpnRequested = 3;
        r.alpnChosen = 1;
        r.initialRtt = 900;
        r.smoothedRtt = 1_250;
        r.rttVariance = 300;
        r.retransmitCount = 2;
        r.connectionStatus = 2;
        r.interfaceIndex = 7;
        r.tlsCipherSuite = 0x1301;
        return r;
    }

    /** An IPv6 UDP flow [2001:db8::1]:53000 → [2001:db8::53]:53, inbound. */
    public static FlowRecordFixture udp6(long id) {
        FlowRecordFixture r = tcp4(id);
        r.addressFamily = 23;
        r.protocol = 17;
        r.flags = 0x100;
        r.localAddress = v6(0x01);
        r.remoteAddress = v6(0x53);
        r.localPort = 53_000;
        r.remotePort = 53;
        r.initialRtt = 0;
        r.smoothedRtt = 0;
        r.rttVariance = 0;
        r.retransmitCount = 0;
        r.connectionStatus = 0;
        return r;
    }

    public static byte[] address(int a, int b, int c, int d) {
        byte[] bytes = new byte[16];
        bytes[0] = (byte) a;
        bytes[1] = (byte) b;
        bytes[2] = (byte) c;
        bytes[3] = (byte) d;
        return bytes;
    }

    /** 2001:db8::last */
    public static byte[] v6(int last) {
        byte[] bytes = new byte[16];
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[2] = 0x0d;
        bytes[3] = (byte) 0xb8;
        bytes[15] = (byte) last;
        return bytes;
    }
}
