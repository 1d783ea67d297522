package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Source and destination exclusions in Datadog's form: a map from CIDR ({@code "*"} for any)
 * to port entries ({@code ["*"]}, {@code ["tcp 22", "udp 53"]}). The source side is the local
 * end of a connection, the destination the remote end. Immutable and thread-safe.
 */
public final class ConnectionFilter {
    private record Rule(Cidr block, List<PortRule> ports) {
        boolean matches(InetAddress address, ConnectionKey key, int port) {
            if (!block.contains(address)) {
                return false;
            }
            for (PortRule rule : ports) {
                if (rule.matches(key.protocol(), port)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Rule> sourceRules;
    private final List<Rule> destinationRules;

    private ConnectionFilter(List<Rule> sourceRules, List<Rule> destinationRules) {
        this.sourceRules = sourceRules;
        this.destinationRules = destinationRules;
    }

    /**
     * Compiles both exclusion maps.
     *
     * @throws IllegalArgumentException naming the bad CIDR or port entry
     */
    public static ConnectionFilter compile(Map<String, List<String>> sources, Map<String, List<String>> destinations) {
        return new ConnectionFilter(rules(sources), rules(destinations));
    }

    private static List<Rule> rules(Map<String, List<String>> spec) {
        List<Rule> rules = new ArrayList<>();
        spec.forEach((cidrText, portTexts) -> {
            Cidr block;
            try {
                block = Cidr.parse(cidrText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CIDR '" + cidrText + "': " + e.getMessage());
            }
            if (portTexts.isEmpty()) {
                throw new IllegalArgumentException("CIDR '" + cidrText + "' lists no ports (use [\"*\"] for all)");
            }
            List<PortRule> ports = new ArrayList<>();
            for (String portText : portTexts) {
                try {
                    ports.add(PortRule.parse(portText));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("port entry '" + portText + "': " + e.getMessage());
                }
            }
            rules.add(new Rule(block, List.copyOf(ports)));
        });
        return List.copyOf(rules);
    }

    /** True when no rule is configured. */
    public boolean isEmpty() {
        return sourceRules.isEmpty() && destinationRules.isEmpty();
    }

    /** True when the connection matches a source or a destination exclusion. */
    public boolean excludes(ConnectionKey key) {
        for (Rule rule : sourceRules) {
            if (rule.matches(key.localAddress(), key, key.localPort())) {
                return true;
            }
        }
        for (Rule rule : destinationRules) {
            if (rule.matches(key.remoteAddress(), key, key.remotePort())) {
                return true;
            }
        }
        return false;
    }
}
