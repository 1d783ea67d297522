package io.cnm4j.linux.internal.dns;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.dns.internal.DnsTrafficProcessor;
import io.cnm4j.dns.internal.IpPacketDecoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Compares the two ways of reading the DNS packet socket, {@link PacketSocket}'s PACKET_RX_RING and
 * {@link RecvfromPacketSocket}'s one recvfrom per packet, on a UDP flood of DNS queries over
 * loopback. Not a test: run by hand as root, for example
 * {@code java --enable-native-access=ALL-UNNAMED -cp ... io.cnm4j.linux.internal.dns.PacketReceiveThroughput ring 5 0}
 * (mode, seconds, packets per second or 0 for as fast as one sender thread goes or {@code external}
 * to only capture what another program sends to port 5399 of 127.0.0.1, and optionally
 * {@code receive-only} to skip decoding and DNS processing).
 *
 * <p>Prints the packets sent, received by the capture thread and dropped by the kernel, and the
 * capture thread's CPU time per packet (receive, header decoding and DNS processing).
 */
public final class PacketReceiveThroughput {
    private static final int PORT = 5399;

    private PacketReceiveThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "ring";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean external = args.length > 2 && args[2].equals("external");
        long rate = args.length > 2 && !external ? Long.parseLong(args[2]) : 0;
        boolean process = args.length <= 3 || !args[3].equals("receive-only");

        MonitorConfig config = MonitorConfig.builder().dnsPorts(PORT).dnsCollectLocal(true).build();
        DnsSocketFilter filter = DnsSocketFilter.forPorts(Set.of(PORT));
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(config);
        IpPacketDecoder decoder = new IpPacketDecoder(config.dnsPorts(), true);
        CapturedPacket packet = new CapturedPacket(PacketSocket.MAX_PACKET);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(!external);
        AtomicLong received = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        long[] kernel = new long[3];

        PacketSocket ring = mode.equals("ring") ? PacketSocket.open(filter) : null;
        RecvfromPacketSocket recv = ring == null ? RecvfromPacketSocket.open(filter) : null;
        Thread capture = new Thread(() -> {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long count = 0;
            boolean warm = measuring.get();
            try {
                while (running.get()) {
                    if (!warm && measuring.get()) {
                        // Warm-up over: forget its packets, CPU time and kernel counters.
                        warm = true;
                        count = 0;
                        cpuStart = threads.getCurrentThreadCpuTime();
                        if (ring != null) {
                            ring.readStatistics(kernel);
                        } else {
                            recv.readStatistics(kernel);
                        }
                    }
                    boolean got = ring != null ? ring.next(packet, 100) : recv.next(packet, 100);
                    if (got) {
                        count++;
                        if (process && decoder.decode(packet.data(), packet.length()) == IpPacketDecoder.Result.DNS_UDP) {
                            processor.onUdpPayload(decoder.flow(), packet.data(), decoder.payloadOffset(),
                                    decoder.payloadLength(), packet.timestampNanos());
                        }
                    }
                }
                // Drain what is left so every queued packet counts.
                while (ring != null ? ring.next(packet, 10) : recv.next(packet, 10)) {
                    count++;
                }
                if (ring != null) {
                    ring.readStatistics(kernel);
                } else {
                    recv.readStatistics(kernel);
                }
            } catch (NativeCallException e) {
                throw new IllegalStateException(e);
            }
            cpuNanos.set(threads.getCurrentThreadCpuTime() - cpuStart);
            received.set(count);
        }, "capture");
        capture.start();

        byte[] query = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 'b', 'e', 'n', 'c', 'h', 7, 'e', 'x', 'a', 'm', 'p',
            'l', 'e', 0, 0, 1, 0, 1};
        long sent = 0;
        try (DatagramChannel sender = DatagramChannel.open()) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", PORT);
            ByteBuffer buffer = ByteBuffer.wrap(query);
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long interval = rate > 0 ? 1_000_000_000L / rate : 0;
            long next = start;
            while (!external && System.nanoTime() < end) {
                // A new transaction id per packet, so the matcher sees distinct queries.
                query[0] = (byte) (sent >>> 8);
                query[1] = (byte) sent;
                buffer.clear();
                sender.send(buffer, target);
                sent++;
                if (interval > 0) {
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }
        }
        if (external) {
            // The sender runs two seconds longer: the first two warm the JIT up and are not counted.
            Thread.sleep(2_000);
            measuring.set(true);
            Thread.sleep(seconds * 1000L);
        }
        Thread.sleep(300);
        running.set(false);
        capture.join();
        if (ring != null) {
            ring.close();
        } else {
            recv.close();
        }
        long got = received.get();
        System.out.printf("%s: sent %,d (%,d/s), received %,d, kernel saw %,d dropped %,d, capture CPU %,d ns/packet%n",
                mode, sent, sent / seconds, got, kernel[0], kernel[1], got == 0 ? 0 : cpuNanos.get() / got);
    }
}
