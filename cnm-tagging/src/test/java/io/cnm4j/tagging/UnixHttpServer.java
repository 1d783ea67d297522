package io.cnm4j.tagging;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny HTTP/1.0 server on a unix socket serving recorded bodies by path, 404 otherwise. */
final class UnixHttpServer implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel server;
    private final Thread thread;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    UnixHttpServer(Path path, Map<String, String> bodies) throws IOException {
        this.path = path;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        this.thread = new Thread(() -> serve(bodies), "test-unix-http");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve(Map<String, String> bodies) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(8192);
                StringBuilder request = new StringBuilder();
                while (request.indexOf("\r\n\r\n") < 0 && client.read(in.clear()) > 0) {
                    request.append(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
                }
                String line = request.substring(0, request.indexOf("\r\n"));
                requests.add(line);
                String target = line.split(" ")[1];
                String body = bodies.get(target);
                String response = body == null
                        ? "HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n{\"message\":\"No such container\"}"
                        : "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body;
                client.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                return;
            }
        }
    }

    Path path() {
        return path;
    }

    List<String> requests() {
        return requests;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
