/**
 * The Linux backends: {@code linux-ebpf} (eBPF programs through libbpf) and the capability-free
 * {@code linux-sockdiag}. Only the providers are API; they are found by {@link java.util.ServiceLoader}.
 * Run with {@code --enable-native-access=io.cnm4j.linux}.
 */
module io.cnm4j.linux {
    requires transitive io.cnm4j.core;
    requires io.cnm4j.dns;
    requires org.slf4j;

    exports io.cnm4j.linux;

    provides io.cnm4j.core.spi.FlowBackendProvider
            with io.cnm4j.linux.LinuxEbpfBackendProvider, io.cnm4j.linux.LinuxSockDiagBackendProvider;
}
