package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EbpfHostCheckTest {
    @Test
    void aKernelBefore58IsRefusedInOneSentence() {
        assertThat(EbpfHostCheck.tooOld(KernelVersion.parse("5.4.0-216-generic"))).contains("kernel 5.4.0-216-generic"
                + " is older than 5.8, which the eBPF backend needs (BPF ring buffer, BTF-typed tracepoints and"
                + " fexit, CAP_BPF)");
        assertThat(EbpfHostCheck.tooOld(KernelVersion.parse("5.7.19"))).isPresent();
    }

    @Test
    void kernels58AndLaterAreNotTooOld() {
        assertThat(EbpfHostCheck.tooOld(KernelVersion.parse("5.8.0-63-generic"))).isEmpty();
        assertThat(EbpfHostCheck.tooOld(KernelVersion.parse("5.10.0-46-amd64"))).isEmpty();
        assertThat(EbpfHostCheck.tooOld(KernelVersion.parse("6.18.0"))).isEmpty();
    }
}
