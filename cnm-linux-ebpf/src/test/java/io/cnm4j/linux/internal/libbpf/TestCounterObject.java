package io.cnm4j.linux.internal.libbpf;

import io.cnm4j.core.internal.ffm.NativeCallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The compiled {@code src/test/bpf/test_counter.bpf.c} and the names it declares. */
final class TestCounterObject {

    static final String NAME = "test_counter";
    static final String CONFIG_MAP = "test_config";
    static final String COUNTS_MAP = "test_counts";
    static final String ENTRIES_MAP = "test_entries";
    static final String EVENTS_MAP = "test_events";
    static final String COUNTING_PROGRAM = "count_getppid";
    static final String CGROUP_PROGRAM = "allow_all_egress";
    static final String OPTIONAL_PROGRAM = "optional_probe";
    /** TEST_EVENT_MAGIC in the C source: "cnm4jtst" read as a little-endian long. */
    static final long EVENT_MAGIC = 0x7473746a346d6e63L;
    /** sizeof(struct test_event). */
    static final int EVENT_BYTES = 24;

    private static final String RESOURCE = "test_counter.bpf.o";

    private TestCounterObject() {
    }

    static BpfObject open() throws NativeCallException {
        return BpfObject.open(NAME, bytes());
    }

    private static byte[] bytes() {
        try (InputStream in = TestCounterObject.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
