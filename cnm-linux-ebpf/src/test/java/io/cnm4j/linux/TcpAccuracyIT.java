package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.Protocol;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * TCP byte counts where flow monitors usually go wrong, driven by ordinary Python clients and
 * servers over loopback: data read after the peer closed, data read with splice() or mapped with
 * TCP_ZEROCOPY_RECEIVE, peeked data, error-queue reads, and connect() failing for want of a local
 * port. Bytes are what the application moved, exactly.
 */
class TcpAccuracyIT {
    private static final int MIB = 1_048_576;
    private static final MonitorConfig ONLY_EXPLICIT_POLLS = MonitorConfig.builder()
            .interval(Duration.ofHours(1))
            .build();

    /** A loopback listener whose server, in a thread, runs the script's serve(connection). */
    private static final String PRELUDE = """
            import os, socket, sys, threading, time
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            port = listener.getsockname()[1]
            def start(serve):
                def run():
                    connection, _ = listener.accept()
                    serve(connection)
                thread = threading.Thread(target=run)
                thread.start()
                return thread
            SO_RCVBUFFORCE = 33
            def connect_printing_ports(receive_buffer):
                # forced: SO_RCVBUF stops at net.core.rmem_max (212992 on Debian 12's 6.1, 4 MiB on the CI host)
                client = socket.socket()
                client.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, receive_buffer)
                granted = client.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
                assert granted >= receive_buffer, "receive buffer %d, not %d" % (granted, receive_buffer)
                client.connect(("127.0.0.1", port))
                print(client.getsockname()[1], port, flush=True)
                return client
            def splice_all(connection, limit):
                pipe_out, pipe_in = os.pipe()
                spliced = 0
                while spliced < limit:
                    moved = os.splice(connection.fileno(), pipe_in, min(65536, limit - spliced))
                    assert moved > 0
                    spliced += moved
                    while moved:
                        moved -= len(os.read(pipe_out, moved))
                os.close(pipe_out)
                os.close(pipe_in)
            def read_all(connection, limit=None):
                total = 0
                while limit is None or total < limit:
                    data = connection.recv(65536 if limit is None else min(65536, limit - total))
                    if not data:
                        break
                    total += len(data)
                return total
            """;

    private static Predicate<ConnectionStats> tcp(int localPort, int remotePort) {
        return c -> c.key().protocol() == Protocol.TCP && c.key().localPort() == localPort
                && c.key().remotePort() == remotePort;
    }

    /** Runs a script that prints "clientPort serverPort" first; returns both ends' delivered sums. */
    private static Counters[] run(KernelTestSupport kernel, String script) throws Exception {
        return run(kernel, script, new long[0][]);
    }

    /**
     * As {@link #run(KernelTestSupport, String)}; the numbers of the line the script prints after
     * the ports go into {@code report[0]}.
     */
    private static Counters[] run(KernelTestSupport kernel, String script, long[][] report) throws Exception {
        int clientPort;
        int serverPort;
        try (PythonScript python = PythonScript.start(PRELUDE + script)) {
            long[] ports = python.nextNumbers();
            clientPort = (int) ports[0];
            serverPort = (int) ports[1];
            if (report.length > 0) {
                report[0] = python.nextNumbers();
            }
            python.awaitSuccess();
        }
        Predicate<ConnectionStats> client = tcp(clientPort, serverPort);
        Predicate<ConnectionStats> server = tcp(serverPort, clientPort);
        kernel.awaitConnection(client.and(ConnectionStats::closed), "client side closed");
        kernel.awaitConnection(server.and(ConnectionStats::closed), "server side closed");
        return new Counters[] {kernel.deliveredSum(client), kernel.deliveredSum(server)};
    }

    @Test
    void bytesReadAfterThePeerClosedAHalfClosedConnectionCount() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
            // the client half-closes; the server answers 1 MiB and closes; the client's socket
            // reaches TCP_CLOSE with the answer unread, and reads it 300 ms later
            Counters[] sums = run(kernel, """
                    def serve(connection):
                        read_all(connection)
                        connection.sendall(bytes(1048576))
                        connection.close()
                    client = connect_printing_ports(4 * 1048576)
                    server = start(serve)
                    client.sendall(bytes(100))
                    client.shutdown(socket.SHUT_WR)
                    server.join()
                    time.sleep(0.3)
                    assert read_all(client) == 1048576
                    client.close()
                    """);

            assertThat(sums[0].bytesSent()).isEqualTo(100);
            assertThat(sums[0].bytesReceived()).isEqualTo(MIB);
            assertThat(sums[0].tcpClosed()).isEqualTo(1);
            assertThat(sums[1].bytesSent()).isEqualTo(MIB);
            assertThat(sums[1].bytesReceived()).isEqualTo(100);
            assertThat(sums[1].tcpClosed()).isEqualTo(1);
        }
    }

    @Test
    void bytesReceivedWithSpliceIntoAPipeCount() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
            Counters[] sums = run(kernel, """
                    def serve(connection):
                        connection.sendall(bytes(1048576))
                        read_all(connection)
                        connection.close()
                    client = socket.create_connection(("127.0.0.1", port))
                    print(client.getsockname()[1], port, flush=True)
                    server = start(serve)
                    splice_all(client, 1048576)
                    client.close()
                    server.join()
                    """);

            assertThat(sums[0].bytesReceived()).isEqualTo(MIB);
            assertThat(sums[0].bytesSent()).isZero();
            assertThat(sums[1].bytesSent()).isEqualTo(MIB);
        }
    }

    @Test
    void bytesSplicedSoFarShowInALiveReadOnceTheConnectionSends() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS);
                PythonScript python = PythonScript.start(PRELUDE + """
                        def serve(connection):
                            connection.sendall(bytes(1048576))
                            read_all(connection)
                            connection.close()
                        client = socket.create_connection(("127.0.0.1", port))
                        server = start(serve)
                        splice_all(client, 524288)
                        client.sendall(b"x")
                        print(client.getsockname()[1], port, flush=True)
                        sys.stdin.readline()
                        splice_all(client, 524288)
                        client.close()
                        server.join()
                        """)) {
            // given: half of the data spliced, then one byte sent (no read hook sees a splice: a send refreshes),
            // the client waiting with the other half unread
            long[] ports = python.nextNumbers();
            Predicate<ConnectionStats> client = tcp((int) ports[0], (int) ports[1]);

            // when
            kernel.poll();
            Counters live = kernel.deliveredSum(client);
            List<ConnectionStats> liveEntries = kernel.seen().stream().filter(client).toList();
            python.process().getOutputStream().write('\n');
            python.process().getOutputStream().flush();
            python.awaitSuccess();

            // then
            assertThat(live.bytesReceived()).isEqualTo(MIB / 2);
            assertThat(live.bytesSent()).isEqualTo(1);
            assertThat(liveEntries).isNotEmpty().noneMatch(ConnectionStats::closed);
            kernel.awaitConnection(client.and(ConnectionStats::closed), "client side closed");
            assertThat(kernel.deliveredSum(client).bytesReceived()).isEqualTo(MIB);
        }
    }

    /**
     * TCP_ZEROCOPY_RECEIVE maps received pages into the application instead of copying them, and
     * copies what cannot be mapped into a small buffer ({@code copybuf}). Only whole, unshared,
     * non-compound pages at offset 0 can be mapped: the server lends its pages with MSG_ZEROCOPY,
     * and loopback delivery copies them into such pages. The script checks every byte it got on
     * either path and prints how many came each way.
     */
    @Test
    void bytesReceivedWithZeroCopyMappingCount() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
            long[][] paths = new long[1][];
            Counters[] sums = run(kernel, """
                    import ctypes, fcntl, mmap, termios
                    SO_ZEROCOPY, MSG_ZEROCOPY, TCP_ZEROCOPY_RECEIVE = 60, 0x4000000, 35
                    CHUNK = 262144
                    class ZerocopyReceive(ctypes.Structure):
                        _fields_ = [("address", ctypes.c_uint64), ("length", ctypes.c_uint32),
                                    ("recv_skip_hint", ctypes.c_uint32), ("inq", ctypes.c_uint32),
                                    ("err", ctypes.c_int32), ("copybuf_address", ctypes.c_uint64),
                                    ("copybuf_len", ctypes.c_int32), ("flags", ctypes.c_uint32),
                                    ("msg_control", ctypes.c_uint64), ("msg_controllen", ctypes.c_uint64),
                                    ("msg_flags", ctypes.c_uint32), ("reserved", ctypes.c_uint32)]
                    assert ctypes.sizeof(ZerocopyReceive) == 64
                    libc = ctypes.CDLL(None, use_errno=True)
                    libc.mmap.restype = ctypes.c_void_p
                    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                                          ctypes.c_int, ctypes.c_long]
                    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
                    source = mmap.mmap(-1, 1048576)
                    source.write(bytes(range(256)) * 4096)
                    def serve(connection):
                        connection.setsockopt(socket.SOL_SOCKET, SO_ZEROCOPY, 1)
                        view = memoryview(source)
                        sent = 0
                        while sent < 1048576:
                            sent += connection.send(view[sent:], MSG_ZEROCOPY)
                        read_all(connection)
                        connection.close()
                    client = connect_printing_ports(4 * 1048576)
                    server = start(serve)
                    queued = ctypes.c_int(0)
                    while queued.value < 1048576:
                        time.sleep(0.01)
                        fcntl.ioctl(client.fileno(), termios.FIONREAD, queued)
                    address = libc.mmap(None, CHUNK, mmap.PROT_READ, mmap.MAP_SHARED, client.fileno(), 0)
                    assert address != ctypes.c_void_p(-1).value, os.strerror(ctypes.get_errno())
                    copybuf = ctypes.create_string_buffer(CHUNK)
                    position = mapped = copied = received = 0
                    while position < 1048576:
                        zc = ZerocopyReceive(address=address, length=CHUNK,
                                             copybuf_address=ctypes.addressof(copybuf), copybuf_len=CHUNK)
                        size = ctypes.c_uint32(ctypes.sizeof(zc))
                        status = libc.getsockopt(client.fileno(), socket.IPPROTO_TCP, TCP_ZEROCOPY_RECEIVE,
                                                 ctypes.byref(zc), ctypes.byref(size))
                        assert status == 0, os.strerror(ctypes.get_errno())
                        got = ctypes.string_at(address, zc.length)
                        assert got == source[position:position + len(got)]
                        position += len(got)
                        mapped += len(got)
                        got = copybuf.raw[:max(zc.copybuf_len, 0)]
                        assert got == source[position:position + len(got)]
                        position += len(got)
                        copied += len(got)
                        got = client.recv(zc.recv_skip_hint) if zc.recv_skip_hint else b""
                        assert got == source[position:position + len(got)]
                        position += len(got)
                        received += len(got)
                    libc.munmap(address, CHUNK)
                    print(mapped, copied, received, flush=True)
                    client.close()
                    server.join()
                    """, paths);

            long mapped = paths[0][0];
            assertThat(mapped).as("bytes mapped (the zero-copy path)").isPositive();
            assertThat(mapped % 4096).isZero();
            assertThat(paths[0][0] + paths[0][1] + paths[0][2]).isEqualTo(MIB);
            assertThat(sums[0].bytesReceived()).isEqualTo(MIB);
            assertThat(sums[0].bytesSent()).isZero();
            assertThat(sums[1].bytesSent()).isEqualTo(MIB);
        }
    }

    @Test
    void peekedBytesCountOnceWhenRead() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
            Counters[] sums = run(kernel, """
                    def serve(connection):
                        connection.sendall(bytes(1024))
                        read_all(connection)
                        connection.close()
                    client = socket.create_connection(("127.0.0.1", port))
                    print(client.getsockname()[1], port, flush=True)
                    server = start(serve)
                    assert len(client.recv(1024, socket.MSG_PEEK | socket.MSG_WAITALL)) == 1024
                    assert len(client.recv(1024, socket.MSG_PEEK)) == 1024
                    assert read_all(client, 1024) == 1024
                    client.close()
                    server.join()
                    """);

            assertThat(sums[0].bytesReceived()).isEqualTo(1_024);
            assertThat(sums[1].bytesSent()).isEqualTo(1_024);
        }
    }

    @Test
    void errorQueueReadsAreNotPayload() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
            // transmit timestamps come back on the error queue with a copy of the data sent
            Counters[] sums = run(kernel, """
                    SO_TIMESTAMPING, TX_SOFTWARE, SOFTWARE, OPT_ID = 37, 1 << 1, 1 << 4, 1 << 7
                    def serve(connection):
                        assert read_all(connection, 500) == 500
                        connection.sendall(bytes(10))
                        read_all(connection)
                        connection.close()
                    client = socket.create_connection(("127.0.0.1", port))
                    print(client.getsockname()[1], port, flush=True)
                    server = start(serve)
                    client.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING, TX_SOFTWARE | SOFTWARE | OPT_ID)
                    for _ in range(5):
                        client.sendall(bytes(100))
                        time.sleep(0.01)
                    assert read_all(client, 10) == 10
                    client.setblocking(False)
                    from_error_queue = 0
                    while True:
                        try:
                            data, _, _, _ = client.recvmsg(4096, 4096, socket.MSG_ERRQUEUE)
                            from_error_queue += len(data)
                        except BlockingIOError:
                            break
                    assert from_error_queue > 0, "no transmit timestamp came back"
                    client.close()
                    server.join()
                    """);

            assertThat(sums[0].bytesSent()).isEqualTo(500);
            assertThat(sums[0].bytesReceived()).isEqualTo(10);
            assertThat(sums[1].bytesReceived()).isEqualTo(500);
            assertThat(sums[1].bytesSent()).isEqualTo(10);
        }
    }

    @Test
    void connectWithoutAFreeLocalPortIsReportedWithTheErrnoTheApplicationSaw() throws Exception {
        String namespace = "cnmit-ports" + ProcessHandle.current().pid();
        TestNamespaces.add(namespace);
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
            TestNamespaces.exec(namespace, "sysctl", "-qw", "net.ipv4.ip_local_port_range=40000 40001");
            long netns = TestNamespaces.inode(namespace);
            int serverPort;
            try (PythonScript python = PythonScript.startIn(namespace, PRELUDE + """
                    def accept_all():
                        listener.settimeout(2)
                        accepted = []
                        try:
                            while True:
                                accepted.append(listener.accept()[0])
                        except socket.timeout:
                            pass
                        for connection in accepted:
                            read_all(connection)
                            connection.close()
                    acceptor = threading.Thread(target=accept_all)
                    acceptor.start()
                    held = []
                    while True:
                        connection = socket.socket()
                        try:
                            connection.connect(("127.0.0.1", port))
                        except OSError as failure:
                            print(port, failure.errno, len(held), flush=True)
                            connection.close()
                            break
                        held.append(connection)
                    for connection in held:
                        connection.close()
                    acceptor.join()
                    """)) {
                long[] portErrnoHeld = python.nextNumbers();
                serverPort = (int) portErrnoHeld[0];
                assertThat(portErrnoHeld[1]).as("errno connect() returned").isEqualTo(99);
                assertThat(portErrnoHeld[2]).as("connections made before the ports ran out").isPositive();
                python.awaitSuccess();
            }

            ConnectionStats failed = kernel.awaitConnection(c -> c.key().netns() == netns && c.closed()
                    && c.key().remotePort() == serverPort && c.tcpFailures().containsKey(99), "failed connect");

            assertThat(failed.tcpFailures()).isEqualTo(Map.of(99, 1L));
            assertThat(failed.last().tcpEstablished()).isZero();
            assertThat(kernel.seen()).filteredOn(c -> c.key().netns() == netns && !c.tcpFailures().isEmpty())
                    .containsExactly(failed);
        } finally {
            TestNamespaces.delete(namespace);
        }
    }

    /**
     * With room for 16 live connections, 32 open at once: those without a live entry are still
     * reported exactly when they close, and the misses are counted once per connection.
     */
    @Test
    void connectionsBeyondTheLiveMapAreReportedExactlyWhenTheyClose() throws Exception {
        MonitorConfig small = ONLY_EXPLICIT_POLLS.toBuilder().maxTrackedConnections(16).build();
        try (KernelTestSupport kernel = KernelTestSupport.start(small);
                ServerSocket server = new ServerSocket(0, 64,
                        InetAddress.getByName("127.0.0.1"))) {
            long missedBefore = kernel.monitor.telemetry().get("tcp_live_map_full");
            List<Socket> clients = new ArrayList<>();
            List<Socket> accepted = new ArrayList<>();
            Map<Integer, Integer> bytesByPort = new HashMap<>();
            for (int i = 0; i < 32; i++) {
                Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                accepted.add(server.accept());
                client.getOutputStream().write(new byte[i + 1]);
                clients.add(client);
                bytesByPort.put(client.getLocalPort(), i + 1);
            }
            for (int i = 0; i < 32; i++) {
                assertThat(accepted.get(i).getInputStream().readNBytes(i + 1)).hasSize(i + 1);
            }
            kernel.poll();
            for (Socket socket : clients) {
                socket.close();
            }
            for (Socket socket : accepted) {
                socket.close();
            }
            Predicate<ConnectionStats> ours = c -> c.key().protocol() == Protocol.TCP
                    && c.key().remotePort() == server.getLocalPort() && bytesByPort.containsKey(c.key().localPort());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (kernel.seen().stream().filter(ours.and(ConnectionStats::closed)).count() < 32
                    && System.nanoTime() < deadline) {
                KernelTestSupport.sleep(100);
                kernel.poll();
            }

            assertThat(kernel.seen().stream().filter(ours.and(ConnectionStats::closed))
                    .map(c -> c.key().localPort()).distinct().count()).isEqualTo(32);
            for (var port : bytesByPort.entrySet()) {
                Counters sum = kernel.deliveredSum(ours.and(c -> c.key().localPort() == port.getKey()));
                assertThat(sum.bytesSent()).as("client port %d", port.getKey()).isEqualTo((long) port.getValue());
                assertThat(sum.tcpClosed()).as("client port %d", port.getKey()).isEqualTo(1);
            }
            assertThat(kernel.monitor.telemetry().get("tcp_live_map_full") - missedBefore)
                    .as("connections that found no live entry, once each").isGreaterThanOrEqualTo(32 + 32 - 16);
        }
    }
}
