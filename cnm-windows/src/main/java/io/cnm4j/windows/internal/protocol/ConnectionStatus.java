package io.cnm4j.windows.internal.protocol;

/**
 * {@code CONNECTION_STATUS} of a TCP flow ({@code tcp.connectionStatus}): 0..4 since version 0x16,
 * 0..6 since 0x18. The failures map to the POSIX errno Datadog reports them with.
 */
public enum ConnectionStatus {
    UNKNOWN(0),
    ATTEMPTED(1),
    ESTABLISHED(2),
    /** The peer answered the SYN with RST: connection refused. */
    ACKRST(3, 111),
    /** The handshake timed out. */
    TIMEOUT(4, 110),
    /** Established, then reset by this host. */
    ESTABLISHED_SENT_RST(5, 104),
    /** Established, then reset by the peer. */
    ESTABLISHED_RECEIVED_RST(6, 104);

    private static final ConnectionStatus[] BY_VALUE = values();

    private final int value;
    private final int failureErrno;

    ConnectionStatus(int value) {
        this(value, 0);
    }

    ConnectionStatus(int value, int failureErrno) {
        this.value = value;
        this.failureErrno = failureErrno;
    }

    public int value() {
        return value;
    }

    /** The errno the failure is reported with (111, 110, 104), 0 when the status is no failure. */
    public int failureErrno() {
        return failureErrno;
    }

    /** The highest status value a driver version defines; -1 when it has no status field. */
    public static int maxValue(DriverVersion version) {
        return switch (version) {
            case V14 -> -1;
            case V16 -> TIMEOUT.value;
            case V18 -> ESTABLISHED_RECEIVED_RST.value;
        };
    }

    /** The status of a value already checked against {@link #maxValue}. */
    public static ConnectionStatus of(int value) {
        return BY_VALUE[value];
    }
}
