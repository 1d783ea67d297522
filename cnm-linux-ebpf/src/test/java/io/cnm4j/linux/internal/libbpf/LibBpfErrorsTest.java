package io.cnm4j.linux.internal.libbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.core.internal.ffm.LinuxErrno;
import io.cnm4j.core.internal.ffm.NativeCallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class LibBpfErrorsTest {

    @Test
    void messageNamesTheCallTheErrnoAndItsText() {
        // when
        NativeCallException failure = LibBpfErrors.failure("bpf_object__load", -LinuxErrno.EPERM);

        // then
        assertThat(failure.getMessage()).isEqualTo("bpf_object__load failed: EPERM (Operation not permitted)");
        assertThat(failure.call()).isEqualTo("bpf_object__load");
        assertThat(failure.errno()).isEqualTo(1);
    }

    @Test
    void positiveAndNegatedErrnoGiveTheSameFailure() {
        // when
        NativeCallException negated = LibBpfErrors.failure("bpf_map_lookup_elem(conns)", -LinuxErrno.ENOENT);
        NativeCallException positive = LibBpfErrors.failure("bpf_map_lookup_elem(conns)", LinuxErrno.ENOENT);

        // then
        assertThat(negated.getMessage())
                .isEqualTo(positive.getMessage())
                .isEqualTo("bpf_map_lookup_elem(conns) failed: ENOENT (No such file or directory)");
        assertThat(negated.errno()).isEqualTo(positive.errno()).isEqualTo(2);
    }

    @Test
    void libbpfOwnErrorCodesAreNamedAfterTheLibbpfEnum() {
        // when
        NativeCallException failure = LibBpfErrors.failure("bpf_object__open_mem(cnm)", -4001);

        // then
        assertThat(failure.getMessage())
                .isEqualTo("bpf_object__open_mem(cnm) failed: LIBBPF_ERRNO__FORMAT (BPF object format invalid)");
        assertThat(failure.errno()).isEqualTo(4001);
    }

    @Test
    void checkPassesResultsThroughAndThrowsOnNegatedErrno() throws NativeCallException {
        assertThat(LibBpfErrors.check("ring_buffer__poll(events)", 7)).isEqualTo(7);
        assertThat(LibBpfErrors.check("ring_buffer__poll(events)", 0)).isZero();
        assertThatThrownBy(() -> LibBpfErrors.check("ring_buffer__poll(events)", -LinuxErrno.EINVAL))
                .isInstanceOf(NativeCallException.class)
                .hasMessage("ring_buffer__poll(events) failed: EINVAL (Invalid argument)");
    }
}
