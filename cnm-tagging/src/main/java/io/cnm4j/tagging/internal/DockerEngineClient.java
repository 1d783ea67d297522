package io.cnm4j.tagging.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cnm4j.tagging.ContainerMetadata;
import io.cnm4j.tagging.ContainerRuntimeClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /containers/<id>/json} on the Docker Engine API over its unix socket, with HTTP/1.0
 * so that the daemon closes the connection after the body (no chunked decoding). The whole
 * exchange is bounded by a deadline and a response size limit.
 */
public final class DockerEngineClient implements ContainerRuntimeClient {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_RESPONSE = 4 << 20;
    private static final Pattern SAFE_ID = Pattern.compile("[0-9a-zA-Z_.-]{1,128}");

    private final Path socket;
    private final long timeoutNanos;

    public DockerEngineClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public Optional<ContainerMetadata> lookup(String containerId) throws IOException {
        if (!SAFE_ID.matcher(containerId).matches()) {
            return Optional.empty();
        }
        byte[] response = exchange("GET /containers/" + containerId + "/json HTTP/1.0\r\nHost: docker\r\n\r\n");
        String head = headOf(response);
        int status = status(head);
        if (status == 404) {
            return Optional.empty();
        }
        if (status != 200) {
            throw new IOException("runtime answered HTTP " + status + " for container " + containerId);
        }
        int bodyStart = head.length() + 4;
        return Optional.of(parse(response, bodyStart));
    }

    private byte[] exchange(String request) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                Selector selector = Selector.open()) {
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("runtime socket " + socket + " did not answer in time");
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                int n = channel.read(buffer.clear());
                if (n < 0) {
                    return out.toByteArray();
                }
                out.write(buffer.array(), 0, n);
                if (out.size() > MAX_RESPONSE) {
                    throw new IOException("runtime response larger than " + MAX_RESPONSE + " bytes");
                }
            }
        }
    }

    private static String headOf(byte[] response) throws IOException {
        String text = new String(response, 0, Math.min(response.length, 8192), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("runtime answered without HTTP headers");
        }
        return text.substring(0, end);
    }

    private static int status(String head) throws IOException {
        String[] parts = head.split(" ", 3);
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            throw new IOException("not an HTTP status line: " + head.lines().findFirst().orElse(""));
        }
    }

    /** Reads {@code Name} and {@code Config.Image} from a container inspect document. */
    static ContainerMetadata parse(byte[] body, int offset) throws IOException {
        String name = "";
        String image = "";
        try (JsonParser p = JSON.createParser(body, offset, body.length - offset)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("container inspect is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("Name") && value == JsonToken.VALUE_STRING) {
                    name = p.getText().startsWith("/") ? p.getText().substring(1) : p.getText();
                } else if (field.equals("Config") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        JsonToken innerValue = p.nextToken();
                        if (inner.equals("Image") && innerValue == JsonToken.VALUE_STRING) {
                            image = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return new ContainerMetadata(name, image);
    }
}
