package io.cnm4j.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CgroupPathsTest {
    private static final String ID = "3f4a1c2b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a";
    private static final String UID = "8e0f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String UID_ESCAPED = UID.replace('-', '_');

    private static ContainerRef parse(String path) {
        return CgroupPaths.container(path).orElseThrow(() -> new AssertionError("no container in " + path));
    }

    @Test
    void dockerWithTheCgroupfsDriverOnV1AndV2() {
        assertThat(parse("/docker/" + ID)).isEqualTo(new ContainerRef(ID, "docker", ""));
    }

    @Test
    void dockerWithTheSystemdDriver() {
        assertThat(parse("/system.slice/docker-" + ID + ".scope")).isEqualTo(new ContainerRef(ID, "docker", ""));
    }

    @Test
    void containerdCriWithTheCgroupfsDriver() {
        assertThat(parse("/kubepods/besteffort/pod" + UID + "/" + ID)).isEqualTo(new ContainerRef(ID, "containerd", UID));
        assertThat(parse("/kubepods/pod" + UID + "/" + ID)).isEqualTo(new ContainerRef(ID, "containerd", UID));
    }

    @Test
    void containerdCriWithTheSystemdDriver() {
        String path = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID_ESCAPED
                + ".slice/cri-containerd-" + ID + ".scope";
        assertThat(parse(path)).isEqualTo(new ContainerRef(ID, "containerd", UID));
        String guaranteed = "/kubepods.slice/kubepods-pod" + UID_ESCAPED + ".slice/cri-containerd-" + ID + ".scope";
        assertThat(parse(guaranteed)).isEqualTo(new ContainerRef(ID, "containerd", UID));
    }

    @Test
    void containerdOutsideKubernetes() {
        assertThat(parse("/k8s.io/" + ID)).isEqualTo(new ContainerRef(ID, "containerd", ""));
        assertThat(parse("/system.slice/nerdctl-" + ID + ".scope")).isEqualTo(new ContainerRef(ID, "containerd", ""));
    }

    @Test
    void dockerUnderKubernetesWithTheSystemdDriver() {
        String path = "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + UID_ESCAPED
                + ".slice/docker-" + ID + ".scope";
        assertThat(parse(path)).isEqualTo(new ContainerRef(ID, "docker", UID));
    }

    @Test
    void crioWithBothDriversAndItsMonitorIsNotAContainer() {
        assertThat(parse("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + UID_ESCAPED
                + ".slice/crio-" + ID + ".scope")).isEqualTo(new ContainerRef(ID, "cri-o", UID));
        assertThat(parse("/kubepods/burstable/pod" + UID + "/crio-" + ID)).isEqualTo(new ContainerRef(ID, "cri-o", UID));
        assertThat(CgroupPaths.container("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
                + UID_ESCAPED + ".slice/crio-conmon-" + ID + ".scope")).isEmpty();
    }

    @Test
    void podmanRootfulRootlessAndCgroupfs() {
        assertThat(parse("/machine.slice/libpod-" + ID + ".scope")).isEqualTo(new ContainerRef(ID, "podman", ""));
        assertThat(parse("/machine.slice/libpod-" + ID + ".scope/container")).isEqualTo(new ContainerRef(ID, "podman", ""));
        assertThat(parse("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + ID + ".scope/container"))
                .isEqualTo(new ContainerRef(ID, "podman", ""));
        assertThat(parse("/libpod_parent/libpod-" + ID)).isEqualTo(new ContainerRef(ID, "podman", ""));
        assertThat(CgroupPaths.container("/machine.slice/libpod-conmon-" + ID + ".scope")).isEmpty();
    }

    @Test
    void ecsOnEc2AndFargate() {
        assertThat(parse("/ecs/5a0d5ceddf6c44c1928d367a815d890f/" + ID)).isEqualTo(new ContainerRef(ID, "docker", ""));
        assertThat(parse("/ecs/5a0d5ceddf6c44c1928d367a815d890f/5a0d5ceddf6c44c1928d367a815d890f-2531612879"))
                .isEqualTo(new ContainerRef("5a0d5ceddf6c44c1928d367a815d890f-2531612879", "ecs-fargate", ""));
    }

    @Test
    void anUnknownParentStillYieldsTheIdWithoutARuntime() {
        assertThat(parse("/tag-runc/" + ID)).isEqualTo(new ContainerRef(ID, "", ""));
    }

    @Test
    void hostProcessesAreNotContainers() {
        assertThat(CgroupPaths.container("/")).isEmpty();
        assertThat(CgroupPaths.container("/user.slice/user-1000.slice/session-3.scope")).isEmpty();
        assertThat(CgroupPaths.container("/system.slice/nginx.service")).isEmpty();
        assertThat(CgroupPaths.container("/docker/" + ID.substring(1))).isEmpty();
    }

    @Test
    void systemdServiceIsTheDeepestServiceSegmentExceptTheUserManager() {
        assertThat(CgroupPaths.systemdService("/system.slice/nginx.service")).contains("nginx.service");
        assertThat(CgroupPaths.systemdService("/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service"))
                .contains("foo.service");
        assertThat(CgroupPaths.systemdService("/user.slice/user-1000.slice/user@1000.service/init.scope")).isEmpty();
    }
}
