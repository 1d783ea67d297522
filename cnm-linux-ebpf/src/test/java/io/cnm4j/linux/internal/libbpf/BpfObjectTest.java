package io.cnm4j.linux.internal.libbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnm4j.core.internal.ffm.NativeCallException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** What works without privileges: opening an object parses it, no kernel call is made. */
@EnabledOnOs(OS.LINUX)
class BpfObjectTest {

    @BeforeEach
    void requireLibbpf() {
        assumeTrue(LibBpf.isAvailable(), "libbpf.so.1 is not installed");
    }

    @Test
    void openingBytesThatAreNoElfObjectFailsNamingTheCall() {
        byte[] notElf = "certainly not an ELF object".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> BpfObject.open("garbage", notElf))
                .isInstanceOf(NativeCallException.class)
                .hasMessageStartingWith("bpf_object__open_mem(garbage) failed: ")
                .satisfies(failure -> assertThat(((NativeCallException) failure).errno()).isPositive());
    }

    @Test
    void openedObjectShowsItsMapsAndProgramsAsCompiled() throws NativeCallException {
        try (BpfObject object = TestCounterObject.open()) {
            BpfMap entries = object.map(TestCounterObject.ENTRIES_MAP);

            assertThat(entries.keySizeBytes()).isEqualTo(4);
            assertThat(entries.valueSizeBytes()).isEqualTo(8);
            assertThat(entries.maxEntries()).isEqualTo(64);
            assertThat(object.map(TestCounterObject.EVENTS_MAP).maxEntries()).isEqualTo(4096);
            assertThat(object.program(TestCounterObject.COUNTING_PROGRAM).name()).isEqualTo("count_getppid");
        }
    }

    @Test
    void mapIsResizedBeforeLoad() throws NativeCallException {
        try (BpfObject object = TestCounterObject.open()) {
            // when
            object.map(TestCounterObject.ENTRIES_MAP).setMaxEntries(4096);

            // then
            assertThat(object.map(TestCounterObject.ENTRIES_MAP).maxEntries()).isEqualTo(4096);
        }
    }

    @Test
    void unknownNamesAreRejected() throws NativeCallException {
        try (BpfObject object = TestCounterObject.open()) {
            assertThatThrownBy(() -> object.map("no_such_map"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("BPF object test_counter has no map no_such_map");
            assertThatThrownBy(() -> object.program("no_such_program"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("BPF object test_counter has no program no_such_program");
        }
    }

    @Test
    void mapsCannotBeReadBeforeLoad() throws NativeCallException {
        try (BpfObject object = TestCounterObject.open()) {
            assertThatThrownBy(() -> object.openEntries(TestCounterObject.COUNTS_MAP, 16))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("BPF object test_counter is not loaded");
            RingBufferRecordHandler ignoreRecords = (memory, offset, length) -> { };
            assertThatThrownBy(() -> object.openRingBuffer(TestCounterObject.EVENTS_MAP, ignoreRecords))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("BPF object test_counter is not loaded");
        }
    }

    @Test
    void closingTwiceIsHarmlessAndUseAfterCloseIsRefused() throws NativeCallException {
        BpfObject object = TestCounterObject.open();
        BpfMap events = object.map(TestCounterObject.EVENTS_MAP);

        // when
        object.close();
        object.close();

        // then
        assertThatThrownBy(events::maxEntries)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("BPF object test_counter is closed");
        assertThatThrownBy(() -> object.map(TestCounterObject.EVENTS_MAP))
                .isInstanceOf(IllegalStateException.class);
    }
}
