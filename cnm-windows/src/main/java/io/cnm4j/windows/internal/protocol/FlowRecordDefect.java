package io.cnm4j.windows.internal.protocol;

import java.util.Locale;

/** Why a flow record was rejected instead of reported; each reason has its own counter. */
public enum FlowRecordDefect {
    /** {@code addressFamily} is neither 2 (IPv4) nor 23 (IPv6). */
    ADDRESS_FAMILY,
    /** {@code protocol} is neither 6 (TCP) nor 17 (UDP). */
    PROTOCOL,
    /** A TCP {@code connectionStatus} beyond the values of the driver version. */
    CONNECTION_STATUS,
    /** {@code processId} beyond 32 bits (Windows process ids are DWORDs). */
    PROCESS_ID;

    /**
     * The telemetry counter name, such as {@code driver_bad_protocol_records_dropped}: a rejected
     * record is lost data, declared as loss in {@code WindowsCounters}.
     */
    public String counterName() {
        return "driver_bad_" + name().toLowerCase(Locale.ROOT) + "_records_dropped";
    }
}
