package io.cnm4j.core;

import java.util.Map;

/** No backend can run here; the message says in one sentence per backend what is missing. */
public final class BackendUnavailableException extends RuntimeException {
    /** Why each backend was refused, by backend name. */
    private final Map<String, String> reasons;

    /**
     * Creates the exception.
     *
     * @param message what the monitor could not do
     * @param reasons why each backend was refused, by backend name
     */
    public BackendUnavailableException(String message, Map<String, String> reasons) {
        super(message);
        this.reasons = Map.copyOf(reasons);
    }

    /** {@return each considered backend with the reason it was refused} */
    public Map<String, String> reasons() {
        return reasons;
    }
}
