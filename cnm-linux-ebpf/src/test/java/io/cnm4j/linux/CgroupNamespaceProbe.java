package io.cnm4j.linux;

import io.cnm4j.core.Capabilities;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Feature;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.Protocol;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Run by {@link PrivateCgroupNamespaceIT} inside a private cgroup namespace: starts a monitor on
 * the eBPF backend and prints {@code key=value} lines: the backend, the UDP feature and its reason,
 * then {@code ready}. With argument {@code flows} it then reads "senderPort receiverPort" from
 * standard input (two loopback UDP sockets of a process outside its cgroup, both closed) and
 * prints the counters delivered for each as {@code sender=} and {@code receiver=}.
 */
final class CgroupNamespaceProbe {
    private CgroupNamespaceProbe() {
    }

    public static void main(String[] args) throws Exception {
        // A loaded host can take minutes to start the probe: its client must not expire meanwhile.
        MonitorConfig config = MonitorConfig.builder().dnsEnabled(false).interval(Duration.ofHours(1))
                .clientExpiry(Duration.ofHours(1)).build();
        try (KernelTestSupport kernel = KernelTestSupport.start(config)) {
            Capabilities capabilities = kernel.monitor.capabilities();
            System.out.println("backend=" + capabilities.backend());
            System.out.println("udp_enabled=" + capabilities.has(Feature.UDP));
            System.out.println("udp=" + capabilities.features().get(Feature.UDP).reason());
            System.out.println("ready");
            System.out.flush();
            if (args.length > 0 && args[0].equals("flows")) {
                BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String[] ports = input.readLine().trim().split(" ");
                int senderPort = Integer.parseInt(ports[0]);
                int receiverPort = Integer.parseInt(ports[1]);
                Predicate<ConnectionStats> sender = localUdp(senderPort, receiverPort);
                Predicate<ConnectionStats> receiver = localUdp(receiverPort, senderPort);
                kernel.awaitConnection(sender.and(ConnectionStats::closed), "sender closed");
                kernel.awaitConnection(receiver.and(ConnectionStats::closed), "receiver closed");
                System.out.println("sender=" + kernel.deliveredSum(sender));
                System.out.println("receiver=" + kernel.deliveredSum(receiver));
            }
        }
        System.out.flush();
    }

    private static Predicate<ConnectionStats> localUdp(int localPort, int remotePort) {
        return c -> c.key().protocol() == Protocol.UDP && c.key().localPort() == localPort
                && c.key().remotePort() == remotePort;
    }
}
