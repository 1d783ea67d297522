package io.cnm4j.windows.internal.flows;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.windows.internal.DriverChannel;
import io.cnm4j.windows.internal.DriverException;
import io.cnm4j.windows.internal.IoctlResult;
import io.cnm4j.windows.internal.Win32Error;
import io.cnm4j.windows.internal.protocol.DriverVersion;
import io.cnm4j.windows.internal.protocol.FilterDefinition;
import io.cnm4j.windows.internal.protocol.IoctlCode;
import io.cnm4j.windows.internal.protocol.Wire;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets up the flow handle: one SET_FLOW_FILTER per collected family and protocol (TCPv4, TCPv6,
 * UDPv4, UDPv6, as Datadog's agent), and the u64 table limits. There is no version IOCTL: the
 * first filter is offered with the newest signature first, and the one the driver accepts names
 * the structure version for everything else. Stateless.
 */
final class FlowFilterSetup {
    private FlowFilterSetup() {
    }

    /** The filters for the configuration, in installation order. */
    static List<FilterDefinition> filters(MonitorConfig config) {
        List<FilterDefinition> filters = new ArrayList<>();
        List<Integer> families = config.collectIpv6() ? List.of(Wire.AF_INET, Wire.AF_INET6) : List.of(Wire.AF_INET);
        if (config.collectTcp()) {
            families.forEach(af -> filters.add(FilterDefinition.flows(af, Wire.IPPROTO_TCP)));
        }
        if (config.collectUdp()) {
            families.forEach(af -> filters.add(FilterDefinition.flows(af, Wire.IPPROTO_UDP)));
        }
        return filters;
    }

    /**
     * Installs every filter.
     *
     * @return the version whose signature the driver accepted
     * @throws DriverException when the driver refuses every signature or a later filter
     */
    static DriverVersion install(DriverChannel channel, long handle, MonitorConfig config) {
        List<FilterDefinition> filters = filters(config);
        if (filters.isEmpty()) {
            throw new DriverException("SET_FLOW_FILTER", "the configuration collects neither TCP nor UDP");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment filter = arena.allocate(DriverVersion.V18.filterSize(), 8);
            MemorySegment filterId = arena.allocate(8, 8);
            DriverVersion accepted = null;
            StringBuilder refusals = new StringBuilder();
            for (DriverVersion version : DriverVersion.NEWEST_FIRST) {
                int error = set(channel, handle, filters.getFirst(), version, filter, filterId);
                if (error == Win32Error.SUCCESS) {
                    accepted = version;
                    break;
                }
                refusals.append(refusals.isEmpty() ? "" : ", ").append("0x").append(Integer.toHexString(version.number()))
                        .append(": ").append(Win32Error.describe(error));
            }
            if (accepted == null) {
                throw new DriverException("DeviceIoControl(SET_FLOW_FILTER)",
                        "the driver refused every known structure version (" + refusals + ")");
            }
            for (FilterDefinition next : filters.subList(1, filters.size())) {
                int error = set(channel, handle, next, accepted, filter, filterId);
                if (error != Win32Error.SUCCESS) {
                    throw new DriverException("DeviceIoControl(SET_FLOW_FILTER)", error);
                }
            }
            return accepted;
        }
    }

    private static int set(DriverChannel channel, long handle, FilterDefinition definition, DriverVersion version,
            MemorySegment buffer, MemorySegment filterId) {
        definition.encode(version, buffer);
        IoctlResult result = channel.deviceIoControl(handle, IoctlCode.SET_FLOW_FILTER.code(),
                buffer.asSlice(0, version.filterSize()), filterId);
        return result.error();
    }

    /** Sends one u64 limit (SET_MAX_OPEN_FLOWS, SET_MAX_CLOSED_FLOWS, SET_CLOSED_FLOWS_NOTIFY). */
    static void setLimit(DriverChannel channel, long handle, IoctlCode ioctl, long value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment input = arena.allocate(8, 8);
            input.set(Wire.U64, 0, value);
            IoctlResult result = channel.deviceIoControl(handle, ioctl.code(), input, MemorySegment.NULL);
            if (result.error() != Win32Error.SUCCESS) {
                throw new DriverException("DeviceIoControl(" + ioctl + ")", result.error());
            }
        }
    }
}
