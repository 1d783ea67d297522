package io.cnm4j.linux;

import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.FlowBackendProvider;
import io.cnm4j.core.testing.ExpectedFlow;
import io.cnm4j.core.testing.FlowBackendContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/**
 * The backend contract, run against the eBPF backend on this kernel: the workload is one loopback
 * TCP exchange of known sizes, so both ends must be reported closed once with exact byte counts.
 */
class EbpfBackendContractIT extends FlowBackendContract {
    private static final int REQUEST_BYTES = 1000;
    private static final int RESPONSE_BYTES = 2000;

    @Override
    protected FlowBackendProvider provider() {
        KernelTestSupport.requireEbpf();
        return new LinuxEbpfBackendProvider();
    }

    @Override
    protected List<ExpectedFlow> runWorkload() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            int clientPort;
            int serverPort = server.getLocalPort();
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress(loopback, serverPort));
                clientPort = client.getLocalPort();
                try (Socket accepted = server.accept()) {
                    OutputStream clientOut = client.getOutputStream();
                    clientOut.write(new byte[REQUEST_BYTES]);
                    readExactly(accepted.getInputStream(), REQUEST_BYTES);
                    accepted.getOutputStream().write(new byte[RESPONSE_BYTES]);
                    readExactly(client.getInputStream(), RESPONSE_BYTES);
                }
            }
            return List.of(new ExpectedFlow(Protocol.TCP, clientPort, serverPort, REQUEST_BYTES, RESPONSE_BYTES),
                    new ExpectedFlow(Protocol.TCP, serverPort, clientPort, RESPONSE_BYTES, REQUEST_BYTES));
        }
    }

    private static void readExactly(InputStream in, int bytes) throws IOException {
        if (in.readNBytes(bytes).length != bytes) {
            throw new IOException("the peer closed before sending " + bytes + " bytes");
        }
    }
}
