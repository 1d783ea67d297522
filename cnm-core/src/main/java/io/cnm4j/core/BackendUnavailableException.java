package io.cnm4j.core;

import java.util.Map;

/** No backend can run here; the message says in one sentence per backend what is missing. */
public final class BackendUnavailableException extends RuntimeException {
    private final Map<String, String> reasons;

    public BackendUnavailableException(String message, Map<String, String> reasons) {
        super(message);
        this.reasons = Map.copyOf(reasons);
    }

    /** Each considered backend with the reason it was refused. */
    public Map<String, String> reasons() {
        return reasons;
    }
}
