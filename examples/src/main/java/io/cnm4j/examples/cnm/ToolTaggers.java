package io.cnm4j.examples.cnm;

import io.cnm4j.core.Tagger;
import io.cnm4j.tagging.CidrTagger;
import io.cnm4j.tagging.ContainerTagger;
import io.cnm4j.tagging.HostTagger;
import io.cnm4j.tagging.KubernetesSource;
import io.cnm4j.tagging.KubernetesTagger;
import io.cnm4j.tagging.ProcessTagger;
import io.cnm4j.tagging.RemoteDomainTagger;
import io.cnm4j.tagging.ServiceRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The taggers the {@code cnm} tool runs: process (service from DD_SERVICE, OTEL_SERVICE_NAME,
 * the systemd unit, else the process name), container, Kubernetes when running in a cluster,
 * host, remote domain, and the {@code --tag-cidr} rules. Owns the taggers' threads.
 */
final class ToolTaggers implements AutoCloseable {
    static final String TAG_CIDR = "--tag-cidr";

    private final ContainerTagger containers;
    private final KubernetesTagger kubernetes;
    private final HostTagger host;
    private final List<Tagger> taggers = new ArrayList<>();

    private ToolTaggers(List<String> cidrRules) {
        CidrTagger cidrTagger;
        try {
            cidrTagger = cidrRules(cidrRules);
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // checked when the command line was parsed
        }
        containers = ContainerTagger.create();
        Optional<KubernetesSource> cluster = KubernetesSource.inCluster();
        kubernetes = cluster.map(source -> KubernetesTagger.builder().source(source).containers(containers).build())
                .orElse(null);
        host = HostTagger.builder().build();
        taggers.add(host);
        taggers.add(ProcessTagger.builder().serviceRule(ServiceRule.defaults().orProcessName()).includeCmdline(false).build());
        taggers.add(containers);
        if (kubernetes != null) {
            taggers.add(kubernetes);
        }
        taggers.add(new RemoteDomainTagger());
        // user rules last: they override what was discovered
        taggers.add(cidrTagger);
    }

    /** Checks {@code --tag-cidr} rules ("10.1.0.0/16 zone:eu-west-1a") at parse time. */
    static CidrTagger cidrRules(List<String> rules) throws UsageException {
        CidrTagger.Builder cidr = CidrTagger.builder();
        for (String rule : rules) {
            try {
                cidr.rule(rule);
            } catch (IllegalArgumentException e) {
                throw new UsageException(UsageException.Problem.BAD_VALUE, TAG_CIDR, TAG_CIDR + ": " + e.getMessage());
            }
        }
        return cidr.build();
    }

    /** Taggers for this host with the given {@code --tag-cidr} rules. */
    static ToolTaggers open(List<String> cidrRules) {
        return new ToolTaggers(cidrRules);
    }

    Tagger[] taggers() {
        return taggers.toArray(Tagger[]::new);
    }

    @Override
    public void close() {
        if (kubernetes != null) {
            kubernetes.close();
        }
        containers.close();
        host.close();
    }
}
