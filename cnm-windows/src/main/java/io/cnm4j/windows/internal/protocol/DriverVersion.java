package io.cnm4j.windows.internal.protocol;

import java.util.List;

/**
 * The driver structure versions cnm4j decodes. Every filter carries the version signature
 * {@code 0xDDFD << 32 | version}; the driver refuses structures of another version, so the
 * signature it accepts selects the record, filter and statistics layouts.
 */
public enum DriverVersion {
    V14(0x14, 176, 152, 216),
    V16(0x16, 180, 152, 216),
    V18(0x18, 194, 160, 280);

    /** Newest first: the order in which the backend offers signatures to the driver. */
    public static final List<DriverVersion> NEWEST_FIRST = List.of(V18, V16, V14);

    private static final long SIGNATURE_MAGIC = 0xDDFDL << 32;

    private final int number;
    private final int flowRecordSize;
    private final int filterSize;
    private final int statsSize;

    DriverVersion(int number, int flowRecordSize, int filterSize, int statsSize) {
        this.number = number;
        this.flowRecordSize = flowRecordSize;
        this.filterSize = filterSize;
        this.statsSize = statsSize;
    }

    /** The version byte, such as 0x18. */
    public int number() {
        return number;
    }

    /** {@code DD_NPMDRIVER_SIGNATURE}: 0x0000DDFD000000vv. */
    public long signature() {
        return SIGNATURE_MAGIC | number;
    }

    /** Size of one packed {@code USER_FLOW_DATA}. */
    public int flowRecordSize() {
        return flowRecordSize;
    }

    /** Size of {@code FILTER_DEFINITION}. */
    public int filterSize() {
        return filterSize;
    }

    /** Size of {@code STATS}. */
    public int statsSize() {
        return statsSize;
    }
}
