package io.cnm4j.linux.internal.libbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class BpfExceptionTest {

    @Test
    void messageNamesTheCallTheErrnoAndItsText() {
        // when
        BpfException failure = BpfException.ofErrno("bpf_object__load", -Errno.EPERM);

        // then
        assertThat(failure.getMessage()).isEqualTo("bpf_object__load failed: EPERM (Operation not permitted)");
        assertThat(failure.call()).isEqualTo("bpf_object__load");
        assertThat(failure.errno()).isEqualTo(1);
    }

    @Test
    void positiveAndNegatedErrnoGiveTheSameFailure() {
        // when
        BpfException negated = BpfException.ofErrno("bpf_map_lookup_elem(conns)", -Errno.ENOENT);
        BpfException positive = BpfException.ofErrno("bpf_map_lookup_elem(conns)", Errno.ENOENT);

        // then
        assertThat(negated.getMessage())
                .isEqualTo(positive.getMessage())
                .isEqualTo("bpf_map_lookup_elem(conns) failed: ENOENT (No such file or directory)");
        assertThat(negated.errno()).isEqualTo(positive.errno()).isEqualTo(2);
    }

    @Test
    void libbpfOwnErrorCodesAreNamedAfterTheLibbpfEnum() {
        // when
        BpfException failure = BpfException.ofErrno("bpf_object__open_mem(cnm)", -4001);

        // then
        assertThat(failure.getMessage())
                .isEqualTo("bpf_object__open_mem(cnm) failed: LIBBPF_ERRNO__FORMAT (BPF object format invalid)");
    }

    @Test
    void checkPassesResultsThroughAndThrowsOnNegatedErrno() throws BpfException {
        assertThat(BpfException.check("ring_buffer__poll(events)", 7)).isEqualTo(7);
        assertThat(BpfException.check("ring_buffer__poll(events)", 0)).isZero();
        assertThatThrownBy(() -> BpfException.check("ring_buffer__poll(events)", -Errno.EINVAL))
                .isInstanceOf(BpfException.class)
                .hasMessage("ring_buffer__poll(events) failed: EINVAL (Invalid argument)");
    }

    @Test
    void failureWithoutErrnoKeepsItsReason() {
        // when
        BpfException failure = BpfException.withoutErrno("bpf_object__open_mem(cnm)", "libbpf.so.1 cannot be loaded");

        // then
        assertThat(failure.getMessage()).isEqualTo("bpf_object__open_mem(cnm) failed: libbpf.so.1 cannot be loaded");
        assertThat(failure.errno()).isZero();
    }
}
