package io.cnm4j.linux.internal;

import io.cnm4j.core.BackendUnavailableException;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import io.cnm4j.linux.internal.libbpf.LibBpf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether the eBPF backend can run on this host, and if not says in one sentence what
 * is missing and what to do. Checks are ordered from the most fundamental.
 */
public final class EbpfHostCheck {
    private static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");

    private EbpfHostCheck() {
    }

    /** Empty when everything needed is present; otherwise the reason. */
    public static Optional<String> problem() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of("not Linux (" + os + "): the eBPF backend needs a Linux kernel 5.8+ with BTF");
        }
        KernelVersion kernel = KernelVersion.running();
        Optional<String> tooOld = tooOld(kernel);
        if (tooOld.isPresent()) {
            return tooOld;
        }
        Optional<String> libbpf = LibBpf.unavailableReason();
        if (libbpf.isPresent()) {
            return Optional.of(libbpf.get() + "; install libbpf 1.x (Debian/Ubuntu: apt-get install libbpf1)");
        }
        try {
            ProgramVariant.running().objectBytes();
        } catch (BackendUnavailableException e) {
            return Optional.of(e.reasons().get(LinuxEbpfBackendProvider.NAME));
        }
        List<String> missing = ProcessCapabilities.current().missingForEbpf();
        if (!missing.isEmpty()) {
            return Optional.of("missing privileges " + String.join(", ", missing)
                    + ": run as root or grant CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN");
        }
        if (!Files.isReadable(BTF)) {
            return Optional.of("kernel " + kernel + " exposes no BTF at " + BTF
                    + ": use a kernel built with CONFIG_DEBUG_INFO_BTF");
        }
        Optional<String> tracepoints = KernelTracepoints.problem();
        if (tracepoints.isPresent()) {
            return tracepoints;
        }
        if (CgroupMounts.cgroup2().isEmpty()) {
            return Optional.of(CgroupMounts.NOT_MOUNTED);
        }
        return Optional.empty();
    }

    /**
     * Why a kernel before 5.8 cannot run the eBPF backend: the BPF ring buffer and CAP_PERFMON came
     * in 5.8, after fexit and BTF-typed tracepoints (5.5).
     */
    static Optional<String> tooOld(KernelVersion kernel) {
        if (kernel.atLeast(5, 8)) {
            return Optional.empty();
        }
        return Optional.of("kernel " + kernel + " is older than 5.8, which the eBPF backend needs (BPF ring buffer,"
                + " BTF-typed tracepoints and fexit, CAP_BPF)");
    }
}
