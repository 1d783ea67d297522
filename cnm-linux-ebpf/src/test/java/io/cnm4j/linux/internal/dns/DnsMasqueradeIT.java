package io.cnm4j.linux.internal.dns;

import static io.cnm4j.linux.internal.dns.DnsTestTools.awaitAnswer;
import static io.cnm4j.linux.internal.dns.DnsTestTools.awaitTelemetry;
import static io.cnm4j.linux.internal.dns.DnsTestTools.closeStreams;
import static io.cnm4j.linux.internal.dns.DnsTestTools.collectUntil;
import static io.cnm4j.linux.internal.dns.DnsTestTools.digInNamespace;
import static io.cnm4j.linux.internal.dns.DnsTestTools.key;
import static io.cnm4j.linux.internal.dns.DnsTestTools.requireRootAndTools;
import static io.cnm4j.linux.internal.dns.DnsTestTools.run;
import static io.cnm4j.linux.internal.dns.DnsTestTools.runIgnoringFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.linux.InfoLogCanaries;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A container behind a Linux bridge whose DNS leaves through MASQUERADE: the host's capture sees
 * each query on the bridge with the container's address and on the uplink with the host's, and
 * must count each lookup once, for the container.
 *
 * <pre>
 *   namespace dnsnat-c&lt;pid&gt;        host namespace (capture)                       namespace dnsnat-s&lt;pid&gt;
 *   10.81.x.2 --veth-- [bridge dnb&lt;pid&gt; 10.81.x.1]   uplink dnu&lt;pid&gt; 10.82.x.1 --veth-- 10.82.x.2 dnsmasq :53
 *                      nft: ip saddr 10.81.x.0/24 oifname dnu&lt;pid&gt; masquerade
 * </pre>
 *
 * Names and subnets carry the JVM's pid, so concurrent runs stay apart; forwarding is turned on
 * for this run's bridge and uplink only.
 */
class DnsMasqueradeIT {
    private static final String RUN = Long.toString(ProcessHandle.current().pid());
    private static final int SUBNET = (int) (ProcessHandle.current().pid() % 250) + 1;
    private static final String CONTAINER_NAMESPACE = "dnsnat-c" + RUN;
    private static final String SERVER_NAMESPACE = "dnsnat-s" + RUN;
    private static final String BRIDGE = "dnb" + RUN;
    private static final String BRIDGE_PORT = "dnc" + RUN;
    private static final String UPLINK = "dnu" + RUN;
    private static final String NFT_TABLE = "cnm_dnsnat_" + RUN;
    private static final String GATEWAY = "10.81." + SUBNET + ".1";
    private static final String CONTAINER = "10.81." + SUBNET + ".2";
    private static final String HOST = "10.82." + SUBNET + ".1";
    private static final String SERVER = "10.82." + SUBNET + ".2";
    private static final String RESOLVED = "10.82." + SUBNET + ".50";
    private static final String DOMAIN = "masq.test";
    private static final int LOOKUPS = 20;

    @RegisterExtension
    static final InfoLogCanaries LOG = new InfoLogCanaries(DOMAIN, RESOLVED, SERVER);

    private static Process resolver;
    private static boolean networkTouched;

    @BeforeAll
    static void createBridgedContainerBehindMasquerade() throws Exception {
        requireRootAndTools("nft");
        networkTouched = true;
        removeNetwork();
        run("ip", "netns", "add", CONTAINER_NAMESPACE);
        run("ip", "netns", "add", SERVER_NAMESPACE);
        run("ip", "link", "add", BRIDGE, "type", "bridge");
        run("ip", "addr", "add", GATEWAY + "/24", "dev", BRIDGE);
        run("ip", "link", "set", BRIDGE, "up");
        run("ip", "link", "add", BRIDGE_PORT, "type", "veth", "peer", "name", "eth0", "netns", CONTAINER_NAMESPACE);
        run("ip", "link", "set", BRIDGE_PORT, "master", BRIDGE);
        run("ip", "link", "set", BRIDGE_PORT, "up");
        run("ip", "-n", CONTAINER_NAMESPACE, "addr", "add", CONTAINER + "/24", "dev", "eth0");
        run("ip", "-n", CONTAINER_NAMESPACE, "link", "set", "eth0", "up");
        run("ip", "-n", CONTAINER_NAMESPACE, "route", "add", "default", "via", GATEWAY);
        run("ip", "link", "add", UPLINK, "type", "veth", "peer", "name", "eth0", "netns", SERVER_NAMESPACE);
        run("ip", "addr", "add", HOST + "/24", "dev", UPLINK);
        run("ip", "link", "set", UPLINK, "up");
        run("ip", "-n", SERVER_NAMESPACE, "addr", "add", SERVER + "/24", "dev", "eth0");
        run("ip", "-n", SERVER_NAMESPACE, "link", "set", "eth0", "up");
        run("ip", "-n", SERVER_NAMESPACE, "link", "set", "lo", "up");
        // IPv4 forwards what arrives on a link whose own forwarding flag is on: the bridge for
        // queries, the uplink for answers.
        run("sysctl", "-q", "-w", "net.ipv4.conf." + BRIDGE + ".forwarding=1");
        run("sysctl", "-q", "-w", "net.ipv4.conf." + UPLINK + ".forwarding=1");
        addNftTable("""
                table ip %s {
                    chain post {
                        type nat hook postrouting priority 100; policy accept;
                        ip saddr %s/24 oifname "%s" masquerade
                    }
                }
                """.formatted(NFT_TABLE, CONTAINER, UPLINK));
        resolver = new ProcessBuilder("ip", "netns", "exec", SERVER_NAMESPACE, "dnsmasq", "--no-daemon",
                "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=" + SERVER, "--port=53",
                "--local=/test/", "--address=/" + DOMAIN + "/" + RESOLVED, "--pid-file=")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        awaitAnswer(SERVER, 53, DOMAIN, RESOLVED);
    }

    @AfterAll
    static void removeResolverAndNetwork() throws Exception {
        if (resolver != null) {
            resolver.destroy();
            if (!resolver.waitFor(5, TimeUnit.SECONDS)) {
                resolver.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            closeStreams(resolver);
        }
        if (networkTouched) {
            removeNetwork();
        }
    }

    @Test
    void aContainersLookupsThroughMasqueradeAreEachCountedOnceForTheContainer() throws Exception {
        // given
        try (DnsCapture capture = DnsCapture.open(MonitorConfig.defaults())) {
            capture.start();

            // when
            for (int lookup = 0; lookup < LOOKUPS; lookup++) {
                digInNamespace(CONTAINER_NAMESPACE, SERVER, DOMAIN, "A");
            }
            Map<DnsStatsKey, DnsStats> stats = collectUntil(capture, s -> {
                DnsStats ours = s.get(key(CONTAINER, SERVER, DOMAIN, 1));
                return ours != null && ours.responses() >= LOOKUPS;
            });

            // then: the host's own DNS traffic may be captured too; only our server's counts here
            InetAddress server = InetAddress.getByName(SERVER);
            Map<DnsStatsKey, DnsStats> ours = new LinkedHashMap<>(stats);
            ours.keySet().removeIf(k -> !k.server().equals(server));
            assertThat(ours).containsOnlyKeys(key(CONTAINER, SERVER, DOMAIN, 1));
            DnsStats lookups = ours.get(key(CONTAINER, SERVER, DOMAIN, 1));
            assertThat(lookups.countsByRcode()).isEqualTo(Map.of(0, (long) LOOKUPS));
            assertThat(lookups.timeouts()).isZero();
            assertThat(lookups.latencyHistogramMicros().getTotalCount()).isEqualTo(LOOKUPS);
            // Other runs' traffic may add to the counter, never take from it.
            assertThat(awaitTelemetry(capture, t -> t.get("dns_nat_duplicates") >= LOOKUPS))
                    .containsEntry("dns_packets_kernel_dropped", 0L);
            assertThat(capture.namesFor(InetAddress.getByName(RESOLVED))).containsExactly(DOMAIN);
        }
    }

    private static void addNftTable(String ruleset) throws Exception {
        Process nft = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
        try (var input = nft.getOutputStream();
                var rules = new ByteArrayInputStream(ruleset.getBytes(StandardCharsets.UTF_8))) {
            rules.transferTo(input);
        }
        String output = new String(nft.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = nft.waitFor(10, TimeUnit.SECONDS);
        nft.getInputStream().close();
        nft.getErrorStream().close();
        assertThat(finished && nft.exitValue() == 0).as("nft -f failed: %s", output).isTrue();
    }

    private static void removeNetwork() throws Exception {
        // Deleting a namespace destroys its veth ends, which take the host ends along.
        runIgnoringFailure("ip", "netns", "del", CONTAINER_NAMESPACE);
        runIgnoringFailure("ip", "netns", "del", SERVER_NAMESPACE);
        runIgnoringFailure("ip", "link", "del", BRIDGE);
        runIgnoringFailure("nft", "delete", "table", "ip", NFT_TABLE);
    }
}
