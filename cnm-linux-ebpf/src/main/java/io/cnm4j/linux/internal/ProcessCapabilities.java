package io.cnm4j.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The effective Linux capabilities of this process, from {@code /proc/self/status}. */
final class ProcessCapabilities {
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_PERFMON = 38;
    static final int CAP_BPF = 39;

    private final long effective;

    ProcessCapabilities(long effective) {
        this.effective = effective;
    }

    /** Parses the {@code CapEff:} line of a status file. */
    static ProcessCapabilities fromStatus(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("CapEff:")) {
                return new ProcessCapabilities(Long.parseUnsignedLong(line.substring(7).trim(), 16));
            }
        }
        return new ProcessCapabilities(0);
    }

    /** This process's capabilities; none when they cannot be read. */
    public static ProcessCapabilities current() {
        try {
            return fromStatus(Files.readAllLines(Path.of("/proc/self/status")));
        } catch (IOException e) {
            return new ProcessCapabilities(0);
        }
    }

    boolean has(int capability) {
        return (effective & (1L << capability)) != 0;
    }

    /**
     * The capabilities the eBPF backend lacks, by name: loading needs CAP_BPF with CAP_PERFMON
     * (or CAP_SYS_ADMIN), attaching to the cgroup root needs CAP_NET_ADMIN.
     */
    public List<String> missingForEbpf() {
        List<String> missing = new ArrayList<>();
        boolean canLoad = has(CAP_SYS_ADMIN) || has(CAP_BPF) && has(CAP_PERFMON);
        if (!canLoad && !has(CAP_BPF)) {
            missing.add("CAP_BPF");
        }
        if (!canLoad && !has(CAP_PERFMON)) {
            missing.add("CAP_PERFMON");
        }
        if (!has(CAP_NET_ADMIN)) {
            missing.add("CAP_NET_ADMIN");
        }
        return missing;
    }
}
