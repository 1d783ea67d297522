package io.cnm4j.tagging;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.FlowIdentity;
import io.cnm4j.core.Tagger;
import io.cnm4j.tagging.internal.AddressPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User rules "address block → tags" ({@code 10.1.0.0/16 → zone:eu-west-1a}), applied to both
 * ends: a local address in a block gets the rule's tags, a remote address the same tags with the
 * {@value TagKeys#REMOTE_PREFIX} prefix. The most specific block wins. Immutable rules; answers
 * from precomputed maps. Thread-safe.
 */
public final class CidrTagger implements Tagger {
    private record Rule(AddressPrefix prefix, Map<String, String> local, Map<String, String> remote) {
    }

    private final List<Rule> rules;
    /** Local rule index × remote rule index → merged tags, computed on first use (at most rules² entries). */
    private final Map<Long, Map<String, String>> merged = new ConcurrentHashMap<>();

    private CidrTagger(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Starts building a {@link CidrTagger}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Map<String, String> tags(ConnectionKey key) {
        int local = match(key.localAddress());
        int remote = match(key.remoteAddress());
        if (remote < 0) {
            return local < 0 ? Map.of() : rules.get(local).local;
        }
        if (local < 0) {
            return rules.get(remote).remote;
        }
        return merged.computeIfAbsent(((long) local << 32) | remote, k -> {
            Map<String, String> both = new HashMap<>(rules.get(local).local);
            both.putAll(rules.get(remote).remote);
            return Map.copyOf(both);
        });
    }

    @Override
    public Map<String, String> tags(FlowIdentity flow) {
        return tags(flow.key());
    }

    private int match(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).prefix.contains(bytes)) {
                return i;
            }
        }
        return -1;
    }

    /** Collects rules; not thread-safe. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        private Builder() {
        }

        /**
         * Tags for an address block.
         *
         * @param cidr "10.1.0.0/16", "2001:db8::/32", or a single address
         * @throws IllegalArgumentException when the block is not a literal CIDR
         *
         * @param tags tags for an address block
         * @return this builder
         */
        public Builder rule(String cidr, Map<String, String> tags) {
            Objects.requireNonNull(tags, "tags");
            Map<String, String> remote = new LinkedHashMap<>();
            tags.forEach((k, v) -> remote.put(TagKeys.remote(k), v));
            rules.add(new Rule(AddressPrefix.parse(cidr), Map.copyOf(tags), Map.copyOf(remote)));
            return this;
        }

        /**
         * A rule written as {@code "10.1.0.0/16 zone:eu-west-1a,team:core"}.
         *
         * @param spec a rule written as {@code "10.1.0.0/16 zone:eu-west-1a,team:core"}
         * @return this builder
         */
        public Builder rule(String spec) {
            String[] parts = spec.trim().split("\\s+", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("a CIDR rule is '<cidr> key:value[,key:value…]': " + spec);
            }
            Map<String, String> tags = new LinkedHashMap<>();
            for (String pair : parts[1].split(",")) {
                int colon = pair.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("a tag is 'key:value': " + pair);
                }
                tags.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
            }
            return rule(parts[0], tags);
        }

        /**
         * Builds the CidrTagger from the settings made so far.
         *
         * @return the new CidrTagger
         */
        public CidrTagger build() {
            List<Rule> sorted = new ArrayList<>(rules);
            // most specific first; the sort is stable, so equal blocks keep their order
            sorted.sort(Comparator.comparingInt((Rule r) -> r.prefix.length()).reversed());
            return new CidrTagger(sorted);
        }
    }
}
