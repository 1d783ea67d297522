package io.cnm4j.core;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Tagger} knows about one delivered connection: its tuple (with PID and network
 * namespace), who opened it, the facts the kernel captured with the PID, and the names that
 * resolved the remote address. Immutable.
 *
 * <p>The process name and cgroup id are taken when the kernel first attributes the flow to a
 * process, so a process that has exited since still has its name.
 *
 * @param key the tuple, PID and network namespace
 * @param direction who opened the connection
 * @param processName the kernel's task name ({@code comm}, at most 16 bytes), "" when unknown
 * @param cgroupId cgroup v2 id of the process (inode of its cgroup directory), 0 when unknown
 * @param remoteDnsNames names that resolved the remote address, from captured DNS answers
 */
public record FlowIdentity(
        ConnectionKey key, Direction direction, String processName, long cgroupId, List<String> remoteDnsNames) {

    /**
     * Creates an instance from its components.
     */
    public FlowIdentity {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(processName, "processName");
        remoteDnsNames = List.copyOf(remoteDnsNames);
    }

    /**
     * An identity that knows only the tuple (no kernel process facts, no DNS names).
     *
     * @param key the connection's tuple
     * @return an identity with no process facts
     */
    public static FlowIdentity of(ConnectionKey key) {
        return new FlowIdentity(key, Direction.NONE, "", 0, List.of());
    }

    /** {@return the PID from the key} */
    public int pid() {
        return key.pid();
    }

    /** {@return the network namespace inode from the key} */
    public long netns() {
        return key.netns();
    }
}
