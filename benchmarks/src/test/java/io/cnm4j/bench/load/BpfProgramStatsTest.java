package io.cnm4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BpfProgramStatsTest {
    private static final String BPFTOOL_JSON = """
            [{"id":14904,"type":"tracing","name":"cnm_tcp_state","tag":"b308942649e13782","gpl_compatible":true,\
            "run_time_ns":852809,"run_cnt":523,"loaded_at":1796303354,"uid":0,"bytes_xlated":18080,"jited":true,\
            "map_ids":[9286,9277],"btf_id":2396,"pids":[{"pid":1,"comm":"java"}]},\
            {"id":14907,"type":"tracing","name":"cnm_sock_send","run_time_ns":168915624,"run_cnt":465687,"map_ids":[]},\
            {"id":15000,"type":"tracing","name":"cnm_sock_send","run_time_ns":5,"run_cnt":1},\
            {"id":14910,"type":"cgroup_skb","name":"other_prog","run_time_ns":9,"run_cnt":9}]
            """;

    @Test
    void keepsOnlyTheCnmProgramsWhoseIdsAreHeld() throws Exception {
        // when: 15000 is another process's copy, 14910 is not ours by name
        var programs = BpfProgramStats.parse(new ByteArrayInputStream(BPFTOOL_JSON.getBytes(StandardCharsets.UTF_8)),
                Set.of(14904L, 14907L, 14910L), "cnm_");

        // then
        assertThat(programs.values()).containsExactly(
                new BpfProgramStats.Program(14904, "cnm_tcp_state", 523, 852_809),
                new BpfProgramStats.Program(14907, "cnm_sock_send", 465_687, 168_915_624));
    }

    @Test
    void thePrefixSelectsTheProgramsByName() throws Exception {
        // when
        var programs = BpfProgramStats.parse(new ByteArrayInputStream(BPFTOOL_JSON.getBytes(StandardCharsets.UTF_8)),
                Set.of(14904L, 14907L, 14910L), "other_");

        // then
        assertThat(programs.values()).containsExactly(new BpfProgramStats.Program(14910, "other_prog", 9, 9));
    }

    @Test
    void aProcessWithoutBpfProgramsHoldsNone() throws Exception {
        assertThat(BpfProgramStats.heldProgramIds(ProcessHandle.current().pid())).isEmpty();
    }
}
