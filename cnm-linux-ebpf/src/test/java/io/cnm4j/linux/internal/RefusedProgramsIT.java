package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cnm4j.core.BackendUnavailableException;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.spi.Availability;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.spi.FlowBackendProvider;
import io.cnm4j.core.testing.RecordingEventSink;
import io.cnm4j.linux.InfoLogCanaries;
import io.cnm4j.linux.KernelTestSupport;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import io.cnm4j.linux.LinuxSockDiagBackendProvider;
import io.cnm4j.linux.internal.libbpf.ProcessBpfResources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kernel that refuses the eBPF backend's programs, for real: opened with the program variant
 * meant for other kernels, the backend fails to load, and attached to a directory that is not a
 * cgroup, it fails to attach. Either way it is refused with a {@link BackendUnavailableException}
 * whose one-line reason names the program and the errno, it leaves no program, map, link or
 * descriptor behind, libbpf's log says nothing at WARN (the reason is the one sentence a user
 * reads), and the monitor falls back to {@code linux-sockdiag}.
 *
 * <p>The refused variant: before Linux 6.3 the kernel lacks the tracepoints of
 * {@link ProgramVariant#TRACEPOINTS}; the CI host (6.3+) refuses the fexit programs of
 * {@link ProgramVariant#FEXIT} with EPERM. A kernel that loads both has nothing to refuse: there
 * the tests that need a refused variant are skipped, except under CI ({@code CI=true}), where they fail.
 */
class RefusedProgramsIT {
    /** The reason is the only line a refusal may print. */
    @RegisterExtension
    static final InfoLogCanaries LOG = new InfoLogCanaries(" WARN ", "libbpf:");

    private static final MonitorConfig NO_DNS = MonitorConfig.builder().dnsEnabled(false).build();
    private static final ProcessBpfResources NOTHING = new ProcessBpfResources(Map.of(), Set.of(), Set.of(), Set.of());
    private static final ProgramVariant REFUSED_VARIANT = ProgramVariant.running() == ProgramVariant.TRACEPOINTS
            ? ProgramVariant.FEXIT : ProgramVariant.TRACEPOINTS;

    @TempDir
    Path notACgroup;

    private Path cgroupRoot;

    @BeforeEach
    void requireEbpf() {
        KernelTestSupport.requireEbpf();
        cgroupRoot = CgroupMounts.attachPoint(CgroupMounts.cgroup2().orElseThrow());
    }

    @Test
    void loadingTheVariantThisKernelRefusesNamesTheFirstProgramAndTheErrno() {
        // given
        ProcessBpfResources before = ProcessBpfResources.ofThisProcess();

        // when
        BackendUnavailableException refused = refusal(REFUSED_VARIANT, cgroupRoot);

        // then
        String reason = refused.reasons().get(LinuxEbpfBackendProvider.NAME);
        String program = REFUSED_VARIANT.programs().getFirst();
        assertThat(reason).startsWith("could not load its BPF programs (" + REFUSED_VARIANT.label() + " variant, kernel "
                        + KernelVersion.running() + "): bpf_object__load(cnm_conn) failed: ")
                .containsPattern("failed: E[A-Z]+ \\(")
                .contains("prog '" + program + "': ")
                .doesNotContain("\n");
        if (REFUSED_VARIANT == ProgramVariant.FEXIT) {
            assertThat(reason).endsWith("failed: EPERM (Operation not permitted): prog '" + program
                    + "': BPF program load failed: Operation not permitted");
        }
        assertThat(refused).hasMessage(LinuxEbpfBackendProvider.NAME + " " + reason);
        assertThat(ProcessBpfResources.ofThisProcess().minus(before)).isEqualTo(NOTHING);
    }

    @Test
    void aCgroupAttachThatFailsNamesTheProgramAndTheErrnoAndDetachesTheOthers() {
        // given
        ProcessBpfResources before = ProcessBpfResources.ofThisProcess();

        // when
        BackendUnavailableException refused = refusal(ProgramVariant.running(), notACgroup);

        // then: the tracing programs before it in the object were attached, and are detached again
        assertThat(refused.reasons().get(LinuxEbpfBackendProvider.NAME))
                .startsWith("could not attach its BPF programs (" + ProgramVariant.running().label() + " variant, kernel "
                        + KernelVersion.running() + "): bpf_program__attach_cgroup(cnm_")
                .endsWith(", " + notACgroup + ") failed: EBADF (Bad file descriptor)");
        assertThat(ProcessBpfResources.ofThisProcess().minus(before)).isEqualTo(NOTHING);
    }

    @Test
    void theMonitorFallsBackToSockDiagAndItsCapabilitiesSayWhy() {
        // given
        String reason = refusal(REFUSED_VARIANT, cgroupRoot).reasons().get(LinuxEbpfBackendProvider.NAME);

        // when
        try (NetworkMonitor monitor = NetworkMonitor.builder().config(NO_DNS).backend(new RefusedVariantProvider())
                .backend(new LinuxSockDiagBackendProvider()).build()) {

            // then
            assertThat(monitor.capabilities().backend()).isEqualTo(LinuxSockDiagBackendProvider.NAME);
            assertThat(monitor.capabilities().refusedBackends()).containsEntry(LinuxEbpfBackendProvider.NAME, reason);
            assertThat(monitor.capabilities().report())
                    .contains("  refused backend " + LinuxEbpfBackendProvider.NAME + ": " + reason + "\n");
        }
    }

    @Test
    void namingTheRefusedBackendIsOneSentenceWithTheReason() {
        // given
        String reason = refusal(REFUSED_VARIANT, cgroupRoot).reasons().get(LinuxEbpfBackendProvider.NAME);
        NetworkMonitor.Builder builder = NetworkMonitor.builder()
                .config(NO_DNS.toBuilder().backend(LinuxEbpfBackendProvider.NAME).build())
                .backend(new RefusedVariantProvider()).backend(new LinuxSockDiagBackendProvider());

        // when
        BackendUnavailableException refused = catchThrowableOfType(BackendUnavailableException.class, builder::build);

        // then: what cnm prints before it exits with 2
        assertThat(refused).hasMessage(LinuxEbpfBackendProvider.NAME + " " + reason);
    }

    private static BackendUnavailableException refusal(ProgramVariant variant, Path cgroup) {
        BackendContext context = new BackendContext(NO_DNS, new RecordingEventSink());
        BackendUnavailableException refused = catchThrowableOfType(BackendUnavailableException.class,
                () -> EbpfBackend.open(context, variant, cgroup).close());
        if (refused == null && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("kernel " + KernelVersion.running() + " loads and attaches the " + variant.label()
                    + " variant too: nothing to refuse");
        }
        assertThat(refused).as("opening the %s variant attached to %s", variant.label(), cgroup).isNotNull();
        return refused;
    }

    /** The eBPF backend's provider, opening the variant this kernel refuses. */
    private static final class RefusedVariantProvider implements FlowBackendProvider {
        private final LinuxEbpfBackendProvider real = new LinuxEbpfBackendProvider();

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public int priority() {
            return real.priority();
        }

        @Override
        public Availability availability(MonitorConfig config) {
            return real.availability(config);
        }

        @Override
        public FlowBackend open(BackendContext context) {
            return EbpfBackend.open(context, REFUSED_VARIANT,
                    CgroupMounts.attachPoint(CgroupMounts.cgroup2().orElseThrow()));
        }

        @Override
        public List<TelemetryCounter> telemetryCounters() {
            return real.telemetryCounters();
        }
    }
}
