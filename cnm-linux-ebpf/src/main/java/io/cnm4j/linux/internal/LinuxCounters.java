package io.cnm4j.linux.internal;

import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.dns.internal.DnsCounters;
import java.util.ArrayList;
import java.util.List;

/**
 * The telemetry counters of the Linux backends, declared once with their kind and meaning: the
 * eBPF programs and their ring-buffer poller, the packet-socket DNS capture, NAT resolution
 * through conntrack and the sock_diag backend.
 */
public final class LinuxCounters {
    /** Closed-connection records the kernel could not reserve in the ring buffer. */
    public static final TelemetryCounter RING_BUFFER_DROPPED = TelemetryCounter.loss("ring_buffer_dropped",
            "closed-connection records lost because the ring buffer was full");

    /** The eBPF programs and the ring-buffer poller. */
    public static final List<TelemetryCounter> EBPF = List.of(
            RING_BUFFER_DROPPED,
            TelemetryCounter.loss("kernel_sk_storage_failed",
                    "sockets that could not be tracked (no room for their state; socket_map variant: no cookie yet)"),
            TelemetryCounter.loss("udp_datagrams_dropped", "UDP datagrams counted in no flow"),
            TelemetryCounter.loss("kernel_program_skips_dropped",
                    "program runs the kernel skipped (closes come from two hooks, so one skip alone loses nothing)"),
            TelemetryCounter.loss("ring_buffer_handler_failed", "ring buffer records whose handler threw"),
            TelemetryCounter.loss("ring_buffer_malformed_dropped", "ring buffer records of an unexpected size"),
            TelemetryCounter.loss("tcp_closes_missed",
                    "TCP connections destroyed without a close record (neither close hook ran): reported closed with"
                    + " the counters of the read before"),
            TelemetryCounter.activity("tcp_connections_tracked", "TCP connections the kernel started tracking"),
            TelemetryCounter.activity("tcp_closes_submitted", "TCP close records the kernel put in the ring buffer"),
            TelemetryCounter.activity("tcp_closes_received", "TCP close records read from the ring buffer"),
            TelemetryCounter.health("tcp_live_map_full",
                    "TCP connections without a live entry: reported exactly, but only when they close"),
            TelemetryCounter.health("udp_overflow_map_full",
                    "UDP datagrams summed into their socket's overflow flow because the peer map was full"),
            TelemetryCounter.health("udp_overflow_peer_limit",
                    "UDP datagrams summed into their socket's overflow flow because it reached udp_peer_limit"),
            TelemetryCounter.health("udp_overflow_peer_unknown",
                    "UDP datagrams summed into their socket's overflow flow because no hook saw the peer"),
            TelemetryCounter.health("udp_peer_limit_sockets",
                    "UDP sockets that reached udp_peer_limit, each logged once with its process"),
            TelemetryCounter.health("ebpf_ringbuf_errors",
                    "exceptions of the ring-buffer poller (cnm4j-ebpf-ringbuf), each logged once per kind"),
            TelemetryCounter.gauge("ebpf_ringbuf_stopped",
                    "1 once the ring-buffer poller stopped after 10 failures in a row, else 0"));

    /** The packet-socket DNS capture, besides the counters every capture shares. */
    public static final List<TelemetryCounter> PACKET_SOCKET_DNS = List.of(
            TelemetryCounter.activity("dns_packets_captured", "packets the kernel's DNS socket filter accepted"),
            TelemetryCounter.loss("dns_packets_kernel_dropped", "DNS packets the kernel dropped (capture ring full)"),
            TelemetryCounter.health("dns_ring_full", "times the kernel found the capture ring full"),
            TelemetryCounter.gauge("dns_capture_stopped",
                    "1 once the DNS capture stopped after 10 failures in a row, else 0"));

    /** NAT resolution through netlink conntrack. */
    public static final List<TelemetryCounter> CONNTRACK = List.of(
            TelemetryCounter.activity("conntrack_events", "conntrack new and destroy events read"),
            TelemetryCounter.activity("conntrack_dumped", "conntrack entries read by dumps"),
            TelemetryCounter.health("conntrack_redumps", "dumps repeated after a netlink receive buffer overrun"),
            TelemetryCounter.loss("conntrack_evicted_dropped", "translations evicted from a full NAT cache"),
            TelemetryCounter.loss("conntrack_sampled_dropped", "new translated entries skipped by the event rate limit"),
            TelemetryCounter.loss("conntrack_overrun_dropped", "netlink receive buffer overruns (ENOBUFS)"),
            TelemetryCounter.loss("conntrack_malformed_dropped", "conntrack messages that could not be decoded"),
            TelemetryCounter.loss("conntrack_namespace_failed", "network namespaces whose conntrack could not be read"),
            TelemetryCounter.loss("conntrack_worker_failed", "failures of the conntrack thread (cnm4j-conntrack)"));

    /** The sock_diag backend. */
    public static final List<TelemetryCounter> SOCKDIAG = List.of(
            TelemetryCounter.loss("sockdiag_connections_missed",
                    "connections that opened and closed between two polls, estimated from /proc/net/snmp"),
            TelemetryCounter.activity("sockdiag_tcp_attempt_fails", "failed TCP connection attempts, host-wide"),
            TelemetryCounter.activity("sockdiag_tcp_estab_resets", "established TCP connections reset, host-wide"),
            TelemetryCounter.loss("sockdiag_dump_failed", "sock_diag dumps that failed"),
            TelemetryCounter.loss("sockdiag_malformed_dropped", "sock_diag messages that could not be decoded"),
            TelemetryCounter.activity("sockdiag_proc_scans", "scans of /proc/<pid>/fd for socket owners"));

    private LinuxCounters() {
    }

    /** Everything the {@code linux-ebpf} backend may report. */
    public static List<TelemetryCounter> ebpfBackend() {
        return concat(EBPF, PACKET_SOCKET_DNS, DnsCounters.CAPTURE, DnsCounters.PROCESSOR, CONNTRACK);
    }

    /** Everything the {@code linux-sockdiag} backend may report. */
    public static List<TelemetryCounter> sockDiagBackend() {
        return concat(SOCKDIAG, CONNTRACK);
    }

    @SafeVarargs
    private static List<TelemetryCounter> concat(List<TelemetryCounter>... groups) {
        List<TelemetryCounter> all = new ArrayList<>();
        for (List<TelemetryCounter> group : groups) {
            all.addAll(group);
        }
        return List.copyOf(all);
    }
}
