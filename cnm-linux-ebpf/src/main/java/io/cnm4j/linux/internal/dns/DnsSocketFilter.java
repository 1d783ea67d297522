package io.cnm4j.linux.internal.dns;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The classic BPF socket filter ({@code SO_ATTACH_FILTER}) of the DNS packet socket: it keeps
 * IPv4 and IPv6 UDP and TCP packets whose source or destination port is a DNS port, and drops the
 * outgoing copy of loopback packets (a packet socket sees each one twice, leaving and arriving).
 *
 * <p>Headers are read relative to the network header ({@code SKF_NET_OFF}) and the EtherType from
 * the socket buffer ({@code SKF_AD_PROTOCOL}), so the filter works whatever the link layer:
 * Ethernet, loopback, or raw-IP tunnels without a link header. Kernel limits worth knowing:
 * <ul>
 *   <li>IPv4: the header length comes from IHL, so options are skipped; fragments other than the
 *       first are dropped because they carry no ports (the first one is kept, and the packet
 *       decoder counts it, since its DNS message is incomplete).</li>
 *   <li>IPv6: only the fixed 40-byte header is understood; a packet with extension headers (hop-by-hop,
 *       routing, fragment…) before UDP/TCP is dropped. DNS rarely carries any.</li>
 *   <li>Loads below the network header must fall in the linear part of the socket buffer; packet
 *       headers always do in practice.</li>
 *   <li>With more than {@link #MAX_FILTERED_PORTS} ports, the filter keeps every UDP and TCP packet
 *       (a jump offset of classic BPF is one byte) and the packet decoder checks the ports.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class DnsSocketFilter {
    /** Ports matched in the kernel at most; beyond this every UDP/TCP packet is accepted. */
    static final int MAX_FILTERED_PORTS = 60;
    /** Bytes of an accepted packet handed to user space: all of it. */
    static final int ACCEPT_BYTES = 0x40000;

    // Instruction classes, sizes, modes and operations (linux/bpf_common.h).
    static final int BPF_LD = 0x00;
    static final int BPF_LDX = 0x01;
    static final int BPF_ALU = 0x04;
    static final int BPF_JMP = 0x05;
    static final int BPF_RET = 0x06;
    static final int BPF_MISC = 0x07;
    static final int BPF_W = 0x00;
    static final int BPF_H = 0x08;
    static final int BPF_B = 0x10;
    static final int BPF_IMM = 0x00;
    static final int BPF_ABS = 0x20;
    static final int BPF_IND = 0x40;
    static final int BPF_AND = 0x50;
    static final int BPF_LSH = 0x60;
    static final int BPF_JA = 0x00;
    static final int BPF_JEQ = 0x10;
    static final int BPF_JSET = 0x40;
    static final int BPF_K = 0x00;
    static final int BPF_TAX = 0x00;

    // Special offsets (linux/filter.h).
    static final int SKF_AD_OFF = -0x1000;
    static final int SKF_AD_PROTOCOL = 0;
    static final int SKF_AD_PKTTYPE = 4;
    static final int SKF_AD_HATYPE = 28;
    static final int SKF_NET_OFF = -0x100000;

    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_IPV6 = 0x86DD;
    static final int PACKET_OUTGOING = 4;
    static final int ARPHRD_LOOPBACK = 772;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;

    private static final int INSTRUCTION_SIZE = 8;
    private static final int MAX_JUMP = 255;

    private final long[] instructions;

    private DnsSocketFilter(long[] instructions) {
        this.instructions = instructions;
    }

    /** The filter for DNS on {@code ports}. */
    static DnsSocketFilter forPorts(Set<Integer> ports) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("at least one DNS port is needed");
        }
        Assembler a = new Assembler();
        // The outgoing copy of a loopback packet is dropped; its incoming copy is kept.
        a.load(BPF_W, SKF_AD_OFF + SKF_AD_PKTTYPE);
        a.jumpIfEqual(PACKET_OUTGOING, "outgoing", "protocol");
        a.label("outgoing");
        a.load(BPF_W, SKF_AD_OFF + SKF_AD_HATYPE);
        a.jumpIfEqual(ARPHRD_LOOPBACK, "drop", "protocol");

        a.label("protocol");
        a.load(BPF_W, SKF_AD_OFF + SKF_AD_PROTOCOL);
        a.jumpIfEqual(ETH_P_IP, "ipv4", "not-ipv4");
        a.label("not-ipv4");
        a.jumpIfEqual(ETH_P_IPV6, "ipv6", "drop");

        a.label("ipv4");
        a.load(BPF_B, SKF_NET_OFF + 9);
        a.jumpIfEqual(IPPROTO_UDP, "ipv4-fragment", "ipv4-tcp");
        a.label("ipv4-tcp");
        a.jumpIfEqual(IPPROTO_TCP, "ipv4-fragment", "drop");
        a.label("ipv4-fragment");
        a.load(BPF_H, SKF_NET_OFF + 6);
        a.jumpIfAnyBit(0x1FFF, "drop", "ipv4-header-length");
        a.label("ipv4-header-length");
        a.load(BPF_B, SKF_NET_OFF);
        a.op(BPF_ALU | BPF_AND | BPF_K, 0x0F);
        a.op(BPF_ALU | BPF_LSH | BPF_K, 2);
        a.op(BPF_MISC | BPF_TAX, 0);
        a.jumpAlways("ports");

        a.label("ipv6");
        a.load(BPF_B, SKF_NET_OFF + 6);
        a.jumpIfEqual(IPPROTO_UDP, "ipv6-ports", "ipv6-tcp");
        a.label("ipv6-tcp");
        a.jumpIfEqual(IPPROTO_TCP, "ipv6-ports", "drop");
        a.label("ipv6-ports");
        a.op(BPF_LDX | BPF_W | BPF_IMM, 40);

        a.label("ports");
        if (ports.size() > MAX_FILTERED_PORTS) {
            a.jumpAlways("accept");
        } else {
            List<Integer> sorted = new ArrayList<>(new TreeSet<>(ports));
            // X holds the offset of the transport header from the network header.
            a.op(BPF_LD | BPF_H | BPF_IND, SKF_NET_OFF);
            for (int port : sorted) {
                a.jumpIfEqual(port, "accept", null);
            }
            a.op(BPF_LD | BPF_H | BPF_IND, SKF_NET_OFF + 2);
            for (int i = 0; i < sorted.size(); i++) {
                a.jumpIfEqual(sorted.get(i), "accept", i == sorted.size() - 1 ? "drop" : null);
            }
        }
        a.label("drop");
        a.op(BPF_RET | BPF_K, 0);
        a.label("accept");
        a.op(BPF_RET | BPF_K, ACCEPT_BYTES);
        return new DnsSocketFilter(a.assemble());
    }

    /** Number of instructions. */
    int length() {
        return instructions.length;
    }

    /** The 16-bit opcode of instruction {@code i}. */
    int code(int i) {
        return (int) (instructions[i] >>> 48);
    }

    /** Instructions to skip when a conditional jump is taken. */
    int jumpTrue(int i) {
        return (int) (instructions[i] >>> 40) & 0xFF;
    }

    /** Instructions to skip when a conditional jump is not taken. */
    int jumpFalse(int i) {
        return (int) (instructions[i] >>> 32) & 0xFF;
    }

    /** The 32-bit constant operand. */
    int constant(int i) {
        return (int) instructions[i];
    }

    /**
     * Writes {@code struct sock_fprog} and its {@code struct sock_filter} array into memory of
     * {@code arena}; returns the sock_fprog for {@code setsockopt(SO_ATTACH_FILTER)}.
     */
    MemorySegment toSockFprog(Arena arena) {
        // struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; }, in host byte order.
        MemorySegment filters = arena.allocate((long) INSTRUCTION_SIZE * instructions.length, 8);
        for (int i = 0; i < instructions.length; i++) {
            long base = (long) i * INSTRUCTION_SIZE;
            filters.set(ValueLayout.JAVA_SHORT, base, (short) code(i));
            filters.set(ValueLayout.JAVA_BYTE, base + 2, (byte) jumpTrue(i));
            filters.set(ValueLayout.JAVA_BYTE, base + 3, (byte) jumpFalse(i));
            filters.set(ValueLayout.JAVA_INT, base + 4, constant(i));
        }
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the pointer is 8-aligned.
        MemorySegment program = arena.allocate(16, 8);
        program.set(ValueLayout.JAVA_SHORT, 0, (short) instructions.length);
        program.set(ValueLayout.ADDRESS, 8, filters);
        return program;
    }

    /** Builds a program with symbolic forward jumps, resolved once every label is placed. */
    private static final class Assembler {
        private final List<Object[]> pending = new ArrayList<>();
        private final Map<String, Integer> labels = new HashMap<>();

        void label(String name) {
            if (labels.putIfAbsent(name, pending.size()) != null) {
                throw new IllegalStateException("label placed twice: " + name);
            }
        }

        void load(int size, int offset) {
            op(BPF_LD | size | BPF_ABS, offset);
        }

        void op(int code, int constant) {
            pending.add(new Object[] {code, null, null, constant});
        }

        /** A conditional jump; a null target means the next instruction. */
        void jumpIfEqual(int value, String whenTrue, String whenFalse) {
            pending.add(new Object[] {BPF_JMP | BPF_JEQ | BPF_K, whenTrue, whenFalse, value});
        }

        void jumpIfAnyBit(int mask, String whenTrue, String whenFalse) {
            pending.add(new Object[] {BPF_JMP | BPF_JSET | BPF_K, whenTrue, whenFalse, mask});
        }

        void jumpAlways(String target) {
            pending.add(new Object[] {BPF_JMP | BPF_JA, target, null, 0});
        }

        long[] assemble() {
            long[] program = new long[pending.size()];
            for (int i = 0; i < program.length; i++) {
                Object[] p = pending.get(i);
                int code = (int) p[0];
                int constant = (int) p[3];
                int jt = 0;
                int jf = 0;
                if (code == (BPF_JMP | BPF_JA)) {
                    constant = distance(i, (String) p[1], Integer.MAX_VALUE);
                } else if ((code & 0x07) == BPF_JMP) {
                    jt = distance(i, (String) p[1], MAX_JUMP);
                    jf = distance(i, (String) p[2], MAX_JUMP);
                }
                program[i] = ((long) code << 48) | ((long) jt << 40) | ((long) jf << 32) | (constant & 0xFFFF_FFFFL);
            }
            return program;
        }

        private int distance(int from, String target, int max) {
            if (target == null) {
                return 0;
            }
            Integer at = labels.get(target);
            if (at == null) {
                throw new IllegalStateException("undefined label " + target);
            }
            int skip = at - from - 1;
            if (skip < 0 || skip > max) {
                throw new IllegalStateException("jump from " + from + " to " + target + " out of range: " + skip);
            }
            return skip;
        }
    }
}
