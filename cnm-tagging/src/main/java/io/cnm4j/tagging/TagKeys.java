package io.cnm4j.tagging;

/**
 * Every tag key the taggers of this module write. Tags describe the local end of a connection;
 * the same key with {@value #REMOTE_PREFIX} in front describes the remote end (for example
 * {@code pod_name} and {@code remote_pod_name}). Tags a source cannot resolve are absent, never
 * empty.
 */
public final class TagKeys {
    /** Prefix of the tags that describe the remote end of a connection. */
    public static final String REMOTE_PREFIX = "remote_";

    /** Process name: the kernel's task name captured with the PID ({@code comm}, ≤ 16 bytes), else {@code /proc/<pid>/comm}. */
    public static final String PROCESS_NAME = "process_name";
    /** Executable path ({@code /proc/<pid>/exe}). */
    public static final String PROCESS_EXE = "process_exe";
    /** Command line, arguments joined by spaces, cut at the configured length (default 256 characters). */
    public static final String PROCESS_CMDLINE = "process_cmdline";
    /** User name of the process's real uid (numeric uid when the name is unknown). */
    public static final String PROCESS_USER = "process_user";
    /** Parent PID. */
    public static final String PROCESS_PPID = "process_ppid";
    /** Process start time, ISO-8601 UTC to the second. */
    public static final String PROCESS_START_TIME = "process_start_time";
    /** Service name from the configured rule (environment variable, systemd unit or process name). */
    public static final String SERVICE = "service";

    /** Container id (64 hex digits for Docker, containerd, CRI-O, Podman). */
    public static final String CONTAINER_ID = "container_id";
    /** Runtime named by the cgroup path: docker, containerd, cri-o, podman, ecs-fargate. */
    public static final String CONTAINER_RUNTIME = "container_runtime";
    /** Container name, from the runtime (Docker API) or from Kubernetes. */
    public static final String CONTAINER_NAME = "container_name";
    /** Container image, from the runtime (Docker API) or from Kubernetes. */
    public static final String IMAGE_NAME = "image_name";

    /** Kubernetes pod name. */
    public static final String POD_NAME = "pod_name";
    /** Kubernetes namespace of the pod. */
    public static final String KUBE_NAMESPACE = "kube_namespace";
    /** Deployment owning the pod (through its ReplicaSet). */
    public static final String KUBE_DEPLOYMENT = "kube_deployment";
    /** ReplicaSet owning the pod. */
    public static final String KUBE_REPLICA_SET = "kube_replica_set";
    /** StatefulSet owning the pod. */
    public static final String KUBE_STATEFUL_SET = "kube_stateful_set";
    /** DaemonSet owning the pod. */
    public static final String KUBE_DAEMON_SET = "kube_daemon_set";
    /** Job owning the pod. */
    public static final String KUBE_JOB = "kube_job";
    /** CronJob owning the pod (through its Job). */
    public static final String KUBE_CRONJOB = "kube_cronjob";
    /** Kind of the top-level workload: Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet or the owner's kind. */
    public static final String KUBE_WORKLOAD_KIND = "kube_workload_kind";
    /** Name of the top-level workload (the value of the kind-specific key above). */
    public static final String KUBE_WORKLOAD = "kube_workload";
    /** Services selecting the pod, comma-separated in name order. */
    public static final String KUBE_SERVICE = "kube_service";
    /** Prefix of one tag per pod label: {@code pod_label.app=web}. */
    public static final String POD_LABEL_PREFIX = "pod_label.";

    /** Host name of this host. */
    public static final String HOST = "host";
    /** Availability zone (configured, or from the cloud metadata endpoint). */
    public static final String ZONE = "zone";
    /** Cloud region (configured, or derived from the zone). */
    public static final String REGION = "region";
    /** Cloud provider whose metadata endpoint answered: aws, gcp, azure. */
    public static final String CLOUD_PROVIDER = "cloud_provider";

    /** First name that resolved the remote address (captured DNS answers); only as {@code remote_domain}. */
    public static final String DOMAIN = "domain";

    private TagKeys() {
    }

    /**
     * The key that carries {@code key} for the remote end.
     *
     * @param key a tag key
     * @return the remote end's key
     */
    public static String remote(String key) {
        return REMOTE_PREFIX + key;
    }
}
