package io.cnm4j.tagging.internal;

import io.cnm4j.tagging.KubePod;
import io.cnm4j.tagging.KubeService;
import io.cnm4j.tagging.TagKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The tags of a pod: name, namespace, workload from its owner reference, services, labels. */
public final class PodTags {
    /**
     * The pod-template-hash a Deployment appends to its ReplicaSets' names: Kubernetes encodes it
     * with an alphabet without vowels and look-alikes, 1 to 10 characters.
     */
    private static final Pattern TEMPLATE_HASH = Pattern.compile("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
    /** A CronJob names its Jobs {@code <cronjob>-<scheduled time in minutes>}. */
    private static final Pattern CRON_SUFFIX = Pattern.compile("\\d{8,}");

    private PodTags() {
    }

    /** The tags of a pod, local-end keys. */
    public static Map<String, String> of(KubePod pod, List<KubeService> services) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TagKeys.POD_NAME, pod.name());
        if (!pod.namespace().isEmpty()) {
            tags.put(TagKeys.KUBE_NAMESPACE, pod.namespace());
        }
        workload(pod, tags);
        TreeSet<String> selecting = new TreeSet<>();
        for (KubeService service : services) {
            if (service.selects(pod)) {
                selecting.add(service.name());
            }
        }
        if (!selecting.isEmpty()) {
            tags.put(TagKeys.KUBE_SERVICE, String.join(",", selecting));
        }
        pod.labels().forEach((k, v) -> tags.put(TagKeys.POD_LABEL_PREFIX + k, v));
        return Map.copyOf(tags);
    }

    private static void workload(KubePod pod, Map<String, String> tags) {
        String name = pod.ownerName();
        switch (pod.ownerKind()) {
            case "" -> {
                return;
            }
            case "ReplicaSet" -> {
                tags.put(TagKeys.KUBE_REPLICA_SET, name);
                String deployment = withoutSuffix(name, TEMPLATE_HASH);
                if (deployment != null) {
                    tags.put(TagKeys.KUBE_DEPLOYMENT, deployment);
                    workload(tags, "Deployment", deployment);
                } else {
                    workload(tags, "ReplicaSet", name);
                }
            }
            case "StatefulSet" -> {
                tags.put(TagKeys.KUBE_STATEFUL_SET, name);
                workload(tags, "StatefulSet", name);
            }
            case "DaemonSet" -> {
                tags.put(TagKeys.KUBE_DAEMON_SET, name);
                workload(tags, "DaemonSet", name);
            }
            case "Job" -> {
                tags.put(TagKeys.KUBE_JOB, name);
                String cronJob = withoutSuffix(name, CRON_SUFFIX);
                if (cronJob != null) {
                    tags.put(TagKeys.KUBE_CRONJOB, cronJob);
                    workload(tags, "CronJob", cronJob);
                } else {
                    workload(tags, "Job", name);
                }
            }
            default -> workload(tags, pod.ownerKind(), name);
        }
    }

    private static void workload(Map<String, String> tags, String kind, String name) {
        tags.put(TagKeys.KUBE_WORKLOAD_KIND, kind);
        tags.put(TagKeys.KUBE_WORKLOAD, name);
    }

    /** The name without its last {@code -<suffix>} when the suffix matches, else null. */
    private static String withoutSuffix(String name, Pattern suffix) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || !suffix.matcher(name.substring(dash + 1)).matches()) {
            return null;
        }
        return name.substring(0, dash);
    }

    /** The same tags with every key prefixed for the remote end. */
    public static Map<String, String> remote(Map<String, String> tags) {
        Map<String, String> remote = new LinkedHashMap<>();
        tags.forEach((k, v) -> remote.put(TagKeys.remote(k), v));
        return Map.copyOf(remote);
    }
}
