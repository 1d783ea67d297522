package io.cnm4j.linux;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/** A test server that accepts one connection and answers a fixed number of fixed-size requests. */
final class RequestResponseServer {
    private RequestResponseServer() {
    }

    /**
     * Answers {@code exchanges} requests of {@code requestBytes} with {@code responseBytes} each,
     * then waits for the client's close so that the server side ends without a reset.
     */
    static CompletableFuture<Void> serveOnce(ServerSocket server, int exchanges, int requestBytes, int responseBytes) {
        return CompletableFuture.runAsync(() -> {
            try (Socket peer = server.accept()) {
                DataInputStream in = new DataInputStream(peer.getInputStream());
                OutputStream out = peer.getOutputStream();
                byte[] request = new byte[requestBytes];
                byte[] response = new byte[responseBytes];
                for (int i = 0; i < exchanges; i++) {
                    in.readFully(request);
                    out.write(response);
                }
                in.read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
