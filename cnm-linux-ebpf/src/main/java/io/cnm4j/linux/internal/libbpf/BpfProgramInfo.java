package io.cnm4j.linux.internal.libbpf;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.cnm4j.core.internal.ffm.NativeLibrary;
import io.cnm4j.core.internal.ffm.StructOffsets;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct bpf_prog_info} (linux/bpf.h) as far as {@code attach_btf_id} (Linux 5.16+), the
 * kernel's description of a loaded program, read with {@code bpf_obj_get_info_by_fd}. Older kernels
 * fill a shorter prefix and report its length, so a reader checks that a field lies within it.
 * Stateless.
 */
final class BpfProgramInfo {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("id"),
            sequenceLayout(8, JAVA_BYTE).withName("tag"),
            JAVA_INT.withName("jited_prog_len"),
            JAVA_INT.withName("xlated_prog_len"),
            JAVA_LONG.withName("jited_prog_insns"),
            JAVA_LONG.withName("xlated_prog_insns"),
            JAVA_LONG.withName("load_time"),
            JAVA_INT.withName("created_by_uid"),
            JAVA_INT.withName("nr_map_ids"),
            JAVA_LONG.withName("map_ids"),
            sequenceLayout(16, JAVA_BYTE).withName("name"),
            JAVA_INT.withName("ifindex"),
            JAVA_INT.withName("gpl_compatible"),
            JAVA_LONG.withName("netns_dev"),
            JAVA_LONG.withName("netns_ino"),
            JAVA_INT.withName("nr_jited_ksyms"),
            JAVA_INT.withName("nr_jited_func_lens"),
            JAVA_LONG.withName("jited_ksyms"),
            JAVA_LONG.withName("jited_func_lens"),
            JAVA_INT.withName("btf_id"),
            JAVA_INT.withName("func_info_rec_size"),
            JAVA_LONG.withName("func_info"),
            JAVA_INT.withName("nr_func_info"),
            JAVA_INT.withName("nr_line_info"),
            JAVA_LONG.withName("line_info"),
            JAVA_LONG.withName("jited_line_info"),
            JAVA_INT.withName("nr_jited_line_info"),
            JAVA_INT.withName("line_info_rec_size"),
            JAVA_INT.withName("jited_line_info_rec_size"),
            JAVA_INT.withName("nr_prog_tags"),
            JAVA_LONG.withName("prog_tags"),
            JAVA_LONG.withName("run_time_ns"),
            JAVA_LONG.withName("run_cnt"),
            JAVA_LONG.withName("recursion_misses"),
            JAVA_INT.withName("verified_insns"),
            JAVA_INT.withName("attach_btf_obj_id"),
            JAVA_INT.withName("attach_btf_id"),
            paddingLayout(4));

    /** Invocations skipped because the program was already running on that CPU (5.12+). */
    static final int RECURSION_MISSES = StructOffsets.offset(LAYOUT, "recursion_misses");
    static final int RECURSION_MISSES_END = RECURSION_MISSES + StructOffsets.size(LAYOUT, "recursion_misses");

    private BpfProgramInfo() {
    }

    /**
     * Fills {@code info} (zeroed first) with the kernel's description of the program behind {@code fd}.
     *
     * @param length scratch for the {@code __u32} in/out length: after the call, how much the kernel filled
     * @return false when the kernel refused
     */
    static boolean read(int fd, MemorySegment info, MemorySegment length) {
        info.fill((byte) 0);
        length.set(JAVA_INT, 0, (int) info.byteSize());
        try {
            return (int) LibBpf.Objects.INFO_BY_FD.invokeExact(fd, info, length) == 0;
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }
}
