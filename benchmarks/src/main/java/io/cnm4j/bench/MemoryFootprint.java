package io.cnm4j.bench;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.internal.ConnectionStateEngine;
import io.cnm4j.core.spi.ConnectionEvent;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Consumer-side memory (not JMH), printed per connection:
 * <ul>
 *   <li>retained heap per tracked connection with {@code --connections} live flows (default
 *       100,000) and one consumer that has read them once: the difference of two class
 *       histograms ({@code jcmd GC.class_histogram}, which collects first) taken before the
 *       engine exists and after, with the classes that hold most of it;</li>
 *   <li>allocation of one delta read ({@link ConnectionStateEngine#read}) per connection it
 *       returns, for the sizes of {@link DeltaBenchmark}, from the thread's allocation counter
 *       around the read alone (the interval's events are applied outside it).</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.cnm4j.bench.MemoryFootprint [--connections 100000]}
 */
public final class MemoryFootprint {
    private static final String CLIENT = "footprint";
    private static final int WARM_UP_READS = 5;
    private static final int MEASURED_READS = 10;
    private static final int TOP_CLASSES = 8;

    /** One class's line of a histogram. */
    private record ClassBytes(String name, long instances, long bytes) {
    }

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws JMException {
        int connections = 100_000;
        if (args.length == 2 && args[0].equals("--connections")) {
            connections = Integer.parseInt(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: MemoryFootprint [--connections N]");
            System.exit(2);
        }
        retainedPerConnection(connections);
        System.out.printf("%nallocation per delta read (%d reads after %d warm-up reads)%n", MEASURED_READS, WARM_UP_READS);
        System.out.printf("%10s %8s %16s %16s%n", "active", "closed", "bytes per read", "bytes per conn");
        for (int active : new int[] {10_000, 100_000}) {
            for (int closed : new int[] {0, 10_000}) {
                allocationPerRead(active, closed);
            }
        }
    }

    private static void retainedPerConnection(int connections) throws JMException {
        Map<String, ClassBytes> before = histogram();
        ConnectionStateEngine engine = SyntheticFlows.engineWithReader(connections, CLIENT);
        SyntheticFlows.applyInterval(engine, new ConnectionEvent(), connections, 0, 1);
        int read = engine.read(CLIENT, System.nanoTime()).size();
        Map<String, ClassBytes> after = histogram();
        Reference.reachabilityFence(engine);
        if (read != connections) {
            throw new IllegalStateException("expected " + connections + " connections, read " + read);
        }

        List<ClassBytes> grown = new ArrayList<>();
        long total = 0;
        for (ClassBytes now : after.values()) {
            ClassBytes then = before.getOrDefault(now.name(), new ClassBytes(now.name(), 0, 0));
            long bytes = now.bytes() - then.bytes();
            total += bytes;
            grown.add(new ClassBytes(now.name(), now.instances() - then.instances(), bytes));
        }
        grown.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        System.out.printf("retained heap with %,d live connections and one consumer: %,d bytes, %.1f bytes per connection%n",
                connections, total, (double) total / connections);
        System.out.printf("%-70s %14s %14s%n", "largest classes", "objects/conn", "bytes/conn");
        for (ClassBytes c : grown.subList(0, Math.min(TOP_CLASSES, grown.size()))) {
            System.out.printf("%-70s %14.2f %14.1f%n", c.name(), (double) c.instances() / connections,
                    (double) c.bytes() / connections);
        }
    }

    private static void allocationPerRead(int active, int closed) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ConnectionStateEngine engine = SyntheticFlows.engineWithReader(active + closed, CLIENT);
        ConnectionEvent event = new ConnectionEvent();
        long tick = 0;
        long allocated = 0;
        for (int i = 0; i < WARM_UP_READS + MEASURED_READS; i++) {
            SyntheticFlows.applyInterval(engine, event, active, closed, ++tick);
            long start = threads.getCurrentThreadAllocatedBytes();
            List<ConnectionStats> read = engine.read(CLIENT, System.nanoTime());
            long bytes = threads.getCurrentThreadAllocatedBytes() - start;
            if (read.size() != active + closed) {
                throw new IllegalStateException("expected " + (active + closed) + " connections, read " + read.size());
            }
            if (i >= WARM_UP_READS) {
                allocated += bytes;
            }
        }
        double perRead = (double) allocated / MEASURED_READS;
        System.out.printf("%10d %8d %16.0f %16.1f%n", active, closed, perRead, perRead / (active + closed));
    }

    /** A full collection, then the live objects by class (the diagnostic command behind jcmd). */
    private static Map<String, ClassBytes> histogram() throws JMException {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, ClassBytes> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            // "   1:         12345        1234567  [B (java.base@25)"
            String[] fields = line.trim().split("\\s+", 4);
            // G1's filler objects pad unused heap regions: they are no one's data
            if (fields.length == 4 && fields[0].endsWith(":") && !fields[3].contains("jdk.internal.vm.Filler")) {
                classes.put(fields[3], new ClassBytes(fields[3], Long.parseLong(fields[1]), Long.parseLong(fields[2])));
            }
        }
        return classes;
    }
}
