package io.cnm4j.core.internal.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class NativeCallExceptionTest {

    @Test
    void messageNamesTheCallTheErrnoAndTheLibcText() {
        // when
        NativeCallException failure = new NativeCallException("setns", LinuxErrno.EPERM);

        // then
        assertThat(failure.getMessage()).isEqualTo("setns failed: EPERM (Operation not permitted)");
        assertThat(failure.call()).isEqualTo("setns");
        assertThat(failure.errno()).isEqualTo(1);
    }

    @Test
    void negatedErrnoIsTheSameFailure() {
        // when
        NativeCallException negated = new NativeCallException("bpf_map_lookup_elem(conns)", -LinuxErrno.ENOENT);

        // then
        assertThat(negated.getMessage()).isEqualTo("bpf_map_lookup_elem(conns) failed: ENOENT (No such file or directory)");
        assertThat(negated.errno()).isEqualTo(2);
    }

    @Test
    void failureWithoutErrnoKeepsItsReason() {
        // when
        NativeCallException failure = new NativeCallException("bpf_object__open_mem(cnm)", 0,
                "libbpf.so.1 cannot be loaded");

        // then
        assertThat(failure.getMessage()).isEqualTo("bpf_object__open_mem(cnm) failed: libbpf.so.1 cannot be loaded");
        assertThat(failure.errno()).isZero();
    }

    @Test
    void unsupportedMeansTheThreeAnswersOfKernelsWithoutAnOperation() {
        assertThat(LinuxErrno.meansUnsupported(-LinuxErrno.EINVAL)).isTrue();
        assertThat(LinuxErrno.meansUnsupported(LinuxErrno.EOPNOTSUPP)).isTrue();
        assertThat(LinuxErrno.meansUnsupported(-LinuxErrno.ENOTSUPP)).isTrue();
        assertThat(LinuxErrno.meansUnsupported(-LinuxErrno.ENOENT)).isFalse();
        assertThat(LinuxErrno.meansUnsupported(-LinuxErrno.EPERM)).isFalse();
    }
}
