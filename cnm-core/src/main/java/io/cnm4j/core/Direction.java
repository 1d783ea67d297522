package io.cnm4j.core;

/**
 * Who opened a connection, seen from this host: the numbering follows Datadog's tracer
 * (incoming 1, outgoing 2, local 3, none 4).
 */
public enum Direction {
    /** Accepted by a local listener. */
    INCOMING(1),
    /** Opened by a local process with {@code connect} or a first {@code sendto}. */
    OUTGOING(2),
    /** Both ends are on this host. */
    LOCAL(3),
    /** Not known, for example a connection that existed before capture started. */
    NONE(4);

    private final int code;

    Direction(int code) {
        this.code = code;
    }

    /** {@return the numeric code used by Datadog's tracer} */
    public int code() {
        return code;
    }

    /** {@return lower-case name as used in the JSON lines} */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The direction for a numeric code; unknown codes map to {@link #NONE}.
     *
     * @param code the numeric code
     * @return the direction
     */
    public static Direction fromCode(int code) {
        return switch (code) {
            case 1 -> INCOMING;
            case 2 -> OUTGOING;
            case 3 -> LOCAL;
            default -> NONE;
        };
    }
}
