package io.cnm4j.core.replay;

import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.FlowBackendProvider;
import io.cnm4j.core.testing.ExpectedFlow;
import io.cnm4j.core.testing.FlowBackendContract;
import java.util.List;

/** The backend contract, run against the replay backend: its workload is the recording. */
class ReplayBackendContractTest extends FlowBackendContract {
    private static final String TCP = "\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"lport\":40000,"
            + "\"raddr\":\"10.0.0.2\",\"rport\":443";
    private static final String UDP = "\"proto\":\"udp\",\"family\":\"v6\",\"laddr\":\"fd00::1\",\"lport\":5353,"
            + "\"raddr\":\"fd00::2\",\"rport\":53";
    private static final List<String> RECORDING = List.of(
            "{\"event\":\"update\",\"cookie\":1," + TCP + ",\"bytes_sent\":100,\"bytes_recv\":200}",
            "{\"event\":\"tick\"}",
            "{\"event\":\"update\",\"cookie\":1," + TCP + ",\"bytes_sent\":120,\"bytes_recv\":250}",
            "{\"event\":\"closed\",\"cookie\":1," + TCP + ",\"bytes_sent\":150,\"bytes_recv\":300}",
            "{\"event\":\"closed\",\"cookie\":2," + UDP + ",\"bytes_sent\":40,\"bytes_recv\":120}",
            "{\"event\":\"tick\"}");

    @Override
    protected FlowBackendProvider provider() {
        return ReplayBackendProvider.fromLines(RECORDING);
    }

    @Override
    protected List<ExpectedFlow> runWorkload() {
        return List.of(new ExpectedFlow(Protocol.TCP, 40000, 443, 150, 300),
                new ExpectedFlow(Protocol.UDP, 5353, 53, 40, 120));
    }
}
