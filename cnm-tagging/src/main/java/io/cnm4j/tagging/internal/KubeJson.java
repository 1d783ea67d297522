package io.cnm4j.tagging.internal;

import static io.cnm4j.tagging.internal.JsonTree.array;
import static io.cnm4j.tagging.internal.JsonTree.bool;
import static io.cnm4j.tagging.internal.JsonTree.object;
import static io.cnm4j.tagging.internal.JsonTree.string;
import static io.cnm4j.tagging.internal.JsonTree.strings;

import io.cnm4j.tagging.KubePod;
import io.cnm4j.tagging.KubeService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the kubelet's {@code /pods} and the API server's {@code PodList} / {@code ServiceList} into values. */
final class KubeJson {
    private KubeJson() {
    }

    /** The pods of a {@code PodList} document (kubelet {@code /pods} or API server {@code /api/v1/pods}). */
    public static List<KubePod> pods(Object podList) {
        List<KubePod> pods = new ArrayList<>();
        for (Object item : array(podList, "items")) {
            Map<String, Object> metadata = object(item, "metadata");
            Map<String, Object> spec = object(item, "spec");
            Map<String, Object> status = object(item, "status");
            String name = string(metadata, "name");
            if (name.isEmpty()) {
                continue;
            }
            List<String> ips = new ArrayList<>();
            for (Object ip : array(status, "podIPs")) {
                String text = string(ip, "ip");
                if (!text.isEmpty()) {
                    ips.add(text);
                }
            }
            if (ips.isEmpty() && !string(status, "podIP").isEmpty()) {
                ips.add(string(status, "podIP"));
            }
            String ownerKind = "";
            String ownerName = "";
            for (Object owner : array(metadata, "ownerReferences")) {
                // the controller reference wins; otherwise the first one
                if (ownerKind.isEmpty() || bool(owner, "controller")) {
                    ownerKind = string(owner, "kind");
                    ownerName = string(owner, "name");
                    if (bool(owner, "controller")) {
                        break;
                    }
                }
            }
            Map<String, KubePod.KubeContainer> containers = new LinkedHashMap<>();
            for (String list : List.of("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses")) {
                for (Object container : array(status, list)) {
                    String id = containerId(string(container, "containerID"));
                    if (!id.isEmpty()) {
                        containers.put(id, new KubePod.KubeContainer(string(container, "name"), string(container, "image")));
                    }
                }
            }
            pods.add(new KubePod(name, string(metadata, "namespace"), string(metadata, "uid"), ips,
                    bool(spec, "hostNetwork"), strings(metadata, "labels"), ownerKind, ownerName, containers));
        }
        return pods;
    }

    /** The services of a {@code ServiceList} document. */
    public static List<KubeService> services(Object serviceList) {
        List<KubeService> services = new ArrayList<>();
        for (Object item : array(serviceList, "items")) {
            Map<String, Object> metadata = object(item, "metadata");
            Map<String, Object> spec = object(item, "spec");
            List<String> clusterIps = new ArrayList<>();
            for (Object ip : array(spec, "clusterIPs")) {
                if (ip instanceof String text) {
                    clusterIps.add(text);
                }
            }
            if (clusterIps.isEmpty() && !string(spec, "clusterIP").isEmpty()) {
                clusterIps.add(string(spec, "clusterIP"));
            }
            // "None" marks a headless service: no virtual IP
            clusterIps.removeIf(ip -> ip.equals("None") || ip.isEmpty());
            services.add(new KubeService(string(metadata, "name"), string(metadata, "namespace"),
                    strings(spec, "selector"), clusterIps));
        }
        return services;
    }

    /** {@code containerd://<id>}, {@code docker://<id>}, {@code cri-o://<id>} → {@code <id>}. */
    static String containerId(String reference) {
        int scheme = reference.indexOf("://");
        return scheme < 0 ? reference : reference.substring(scheme + 3);
    }
}
