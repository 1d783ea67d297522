package io.cnm4j.tagging;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback HTTP server answering recorded bodies by path, optionally requiring a bearer token. */
final class RecordedHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> headers = new ConcurrentHashMap<>();
    private volatile String token;

    RecordedHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
                byte[] body = bodies.get(path);
                int status = statuses.getOrDefault(path, body == null ? 404 : 200);
                String expected = token;
                if (expected != null && !("Bearer " + expected).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    status = 401;
                    body = null;
                }
                byte[] out = body == null || status != 200 ? "{}".getBytes() : body;
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                exchange.sendResponseHeaders(status, out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        });
        server.start();
    }

    RecordedHttpServer serve(String path, byte[] body) {
        bodies.put(path, body);
        statuses.remove(path);
        return this;
    }

    RecordedHttpServer serveResource(String path, String resource) throws IOException {
        try (InputStream in = RecordedHttpServer.class.getResourceAsStream(resource)) {
            return serve(path, in.readAllBytes());
        }
    }

    RecordedHttpServer status(String path, int status) {
        statuses.put(path, status);
        return this;
    }

    RecordedHttpServer header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    RecordedHttpServer requireToken(String value) {
        token = value;
        return this;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<String> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
