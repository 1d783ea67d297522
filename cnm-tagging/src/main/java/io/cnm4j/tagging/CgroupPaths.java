package io.cnm4j.tagging;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the container a cgroup path belongs to, for every layout the common runtimes use
 * with the cgroupfs and the systemd cgroup drivers, on cgroup v1 and v2 (the paths are the same
 * below the mount point):
 *
 * <pre>
 * Docker      /docker/&lt;id&gt;                          /system.slice/docker-&lt;id&gt;.scope
 * containerd  /kubepods/besteffort/pod&lt;uid&gt;/&lt;id&gt;    .../kubepods-besteffort-pod&lt;uid&gt;.slice/cri-containerd-&lt;id&gt;.scope
 *             /k8s.io/&lt;id&gt;, /default/&lt;id&gt;            /system.slice/nerdctl-&lt;id&gt;.scope
 * CRI-O       /kubepods/burstable/pod&lt;uid&gt;/crio-&lt;id&gt;  .../crio-&lt;id&gt;.scope
 * Podman      /libpod_parent/libpod-&lt;id&gt;             /machine.slice/libpod-&lt;id&gt;.scope[/container]
 * ECS Fargate /ecs/&lt;task&gt;/&lt;task&gt;-&lt;n&gt;
 * </pre>
 *
 * Monitor processes ({@code crio-conmon-…}, {@code libpod-conmon-…}) are not containers. Stateless
 * and thread-safe.
 */
public final class CgroupPaths {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    /** {@code <runtime prefix>-<64 hex>}, the systemd scope naming (the ".scope" already removed). */
    private static final Pattern PREFIXED = Pattern.compile("(docker|cri-containerd|crio|libpod|nerdctl)-([0-9a-f]{64})");
    private static final Pattern FARGATE = Pattern.compile("[0-9a-f]{32}-\\d{1,10}");
    /** {@code pod<uid>} (cgroupfs) or {@code kubepods[-<qos>]-pod<uid with underscores>} (systemd). */
    private static final Pattern POD = Pattern.compile("(?:kubepods(?:-[a-z]+)?-)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})");

    private CgroupPaths() {
    }

    /**
     * The container of a cgroup path (as in {@code /proc/<pid>/cgroup}), if the path names one.
     *
     * @param path a cgroup path
     * @return the container, or empty
     */
    public static Optional<ContainerRef> container(String path) {
        String[] segments = path.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            String segment = strip(segments[i]);
            Matcher prefixed = PREFIXED.matcher(segment);
            if (prefixed.matches()) {
                return Optional.of(new ContainerRef(prefixed.group(2), runtimeOfPrefix(prefixed.group(1)),
                        podUid(segments, i)));
            }
            if (HEX64.matcher(segment).matches()) {
                return Optional.of(new ContainerRef(segment, runtimeOfAncestors(segments, i), podUid(segments, i)));
            }
            if (FARGATE.matcher(segment).matches() && i > 0 && hasAncestor(segments, i, "ecs")) {
                return Optional.of(new ContainerRef(segment, "ecs-fargate", ""));
            }
        }
        return Optional.empty();
    }

    /**
     * The systemd unit a cgroup path belongs to ({@code nginx.service}), if any: the deepest {@code .service} segment.
     *
     * @param path a cgroup path
     * @return the unit, or empty
     */
    public static Optional<String> systemdService(String path) {
        String[] segments = path.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            // user@1000.service is the user's manager, not a service of its own
            if (segments[i].endsWith(".service") && !segments[i].startsWith("user@")) {
                return Optional.of(segments[i]);
            }
        }
        return Optional.empty();
    }

    private static String strip(String segment) {
        return segment.endsWith(".scope") ? segment.substring(0, segment.length() - ".scope".length()) : segment;
    }

    private static String runtimeOfPrefix(String prefix) {
        return switch (prefix) {
            case "docker" -> "docker";
            case "crio" -> "cri-o";
            case "libpod" -> "podman";
            default -> "containerd"; // cri-containerd, nerdctl
        };
    }

    private static String runtimeOfAncestors(String[] segments, int index) {
        if (hasAncestor(segments, index, "docker") || hasAncestor(segments, index, "moby")
                || hasAncestor(segments, index, "ecs")) {
            return "docker";
        }
        if (hasAncestor(segments, index, "libpod_parent")) {
            return "podman";
        }
        if (index > 0 && segments[index - 1].equals("k8s.io") || podUidIndex(segments, index) >= 0) {
            // a bare id under a pod is containerd's CRI plugin with the cgroupfs driver
            return "containerd";
        }
        return "";
    }

    private static boolean hasAncestor(String[] segments, int index, String name) {
        for (int i = 0; i < index; i++) {
            if (segments[i].equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static int podUidIndex(String[] segments, int index) {
        for (int i = index - 1; i >= 0; i--) {
            String segment = segments[i].endsWith(".slice")
                    ? segments[i].substring(0, segments[i].length() - ".slice".length()) : segments[i];
            if (POD.matcher(segment).matches()) {
                return i;
            }
        }
        return -1;
    }

    private static String podUid(String[] segments, int index) {
        int at = podUidIndex(segments, index);
        if (at < 0) {
            return "";
        }
        String segment = segments[at].endsWith(".slice")
                ? segments[at].substring(0, segments[at].length() - ".slice".length()) : segments[at];
        Matcher m = POD.matcher(segment);
        // systemd escapes the UID's dashes as underscores in slice names
        return m.matches() ? m.group(1).replace('_', '-') : "";
    }
}
