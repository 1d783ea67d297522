package io.cnm4j.tagging;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.FlowIdentity;
import io.cnm4j.core.Tagger;
import java.util.Map;

/**
 * {@code remote_domain}: the first name that resolved the remote address, from the DNS answers the
 * monitor captured (its reverse cache, {@link FlowIdentity#remoteDnsNames()}). Stateless and thread-safe.
 */
public final class RemoteDomainTagger implements Tagger {
    private static final String KEY = TagKeys.remote(TagKeys.DOMAIN);

    /** Creates the tagger; it holds no state. */
    public RemoteDomainTagger() {
    }

    @Override
    public Map<String, String> tags(ConnectionKey key) {
        return Map.of();
    }

    @Override
    public Map<String, String> tags(FlowIdentity flow) {
        return flow.remoteDnsNames().isEmpty() ? Map.of() : Map.of(KEY, flow.remoteDnsNames().get(0));
    }
}
