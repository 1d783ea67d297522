package io.cnm4j.core.internal;

/** The counters of one flow that one client has already been given. Mutable; engine-confined. */
final class SeenCounters {
    long bytesSent;
    long bytesReceived;
    long packetsSent;
    long packetsReceived;
    long retransmits;
    long tcpEstablished;
    long tcpClosed;
    long pollGeneration;

    void copyFrom(TrackedFlow flow) {
        bytesSent = flow.bytesSent;
        bytesReceived = flow.bytesReceived;
        packetsSent = flow.packetsSent;
        packetsReceived = flow.packetsReceived;
        retransmits = flow.retransmits;
        tcpEstablished = flow.tcpEstablished;
        tcpClosed = flow.tcpClosed;
    }

    /** True when the flow carries no bytes or packets this client has not seen. */
    boolean coversTraffic(TrackedFlow flow) {
        return flow.bytesSent <= bytesSent && flow.bytesReceived <= bytesReceived
                && flow.packetsSent <= packetsSent && flow.packetsReceived <= packetsReceived;
    }

    io.cnm4j.core.Counters deltaTo(TrackedFlow flow) {
        return new io.cnm4j.core.Counters(
                Math.max(0, flow.bytesSent - bytesSent),
                Math.max(0, flow.bytesReceived - bytesReceived),
                Math.max(0, flow.packetsSent - packetsSent),
                Math.max(0, flow.packetsReceived - packetsReceived),
                Math.max(0, flow.retransmits - retransmits),
                Math.max(0, flow.tcpEstablished - tcpEstablished),
                Math.max(0, flow.tcpClosed - tcpClosed));
    }
}
