package io.cnm4j.core.internal;

/** The counters of one flow that one client has already been given. Mutable; engine-confined. */
final class SeenCounters {
    /** Nothing seen yet: all zero. Shared, so never written. */
    static final SeenCounters NOTHING = new SeenCounters();

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

    /** True when no counter of the flow moved past what this client was given. */
    boolean coversAll(TrackedFlow flow) {
        return coversTraffic(flow) && flow.retransmits <= retransmits && flow.tcpEstablished <= tcpEstablished
                && flow.tcpClosed <= tcpClosed;
    }
}
