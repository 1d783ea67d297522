package io.cnm4j.linux.internal.dns;

import static io.cnm4j.linux.internal.dns.DnsSocketFilter.SKF_AD_HATYPE;
import static io.cnm4j.linux.internal.dns.DnsSocketFilter.SKF_AD_OFF;
import static io.cnm4j.linux.internal.dns.DnsSocketFilter.SKF_AD_PKTTYPE;
import static io.cnm4j.linux.internal.dns.DnsSocketFilter.SKF_AD_PROTOCOL;
import static io.cnm4j.linux.internal.dns.DnsSocketFilter.SKF_NET_OFF;

/**
 * Test-only interpreter of the classic BPF instructions {@link DnsSocketFilter} emits, with the
 * kernel's semantics for a packet socket: absolute loads are relative to the link-layer header,
 * {@code SKF_NET_OFF} loads to the network header, {@code SKF_AD_*} loads read the socket buffer's
 * metadata, and a load outside the packet ends the program with 0 (drop). It also enforces what
 * the kernel's checker does: forward jumps within the program, ending in a return.
 */
final class ClassicBpfInterpreter {
    /** What the kernel knows about a packet besides its bytes. */
    record Metadata(int etherType, int packetType, int hardwareType, int linkHeaderLength) {
        static Metadata ethernetIncoming(int etherType) {
            return new Metadata(etherType, 0, 1, 14);
        }
    }

    private ClassicBpfInterpreter() {
    }

    /** Runs the program; returns the bytes to keep (0 = drop). */
    static int run(DnsSocketFilter program, byte[] networkPacket, Metadata metadata) {
        byte[] frame = new byte[metadata.linkHeaderLength() + networkPacket.length];
        System.arraycopy(networkPacket, 0, frame, metadata.linkHeaderLength(), networkPacket.length);
        int a = 0;
        int x = 0;
        int pc = 0;
        while (true) {
            if (pc >= program.length()) {
                throw new AssertionError("ran off the end of the program");
            }
            int code = program.code(pc);
            int k = program.constant(pc);
            int next = pc + 1;
            switch (code) {
                case 0x20, 0x28, 0x30 -> { // ld [k] with size W, H, B
                    Integer value = load(frame, metadata, k, size(code));
                    if (value == null) {
                        return 0;
                    }
                    a = value;
                }
                case 0x48 -> { // ldh [x + k]
                    Integer value = load(frame, metadata, x + k, 2);
                    if (value == null) {
                        return 0;
                    }
                    a = value;
                }
                case 0x01 -> x = k; // ldx #k
                case 0x54 -> a &= k; // and #k
                case 0x64 -> a <<= k; // lsh #k
                case 0x07 -> x = a; // tax
                case 0x05 -> next = pc + 1 + k; // ja
                case 0x15 -> next = pc + 1 + (a == k ? program.jumpTrue(pc) : program.jumpFalse(pc));
                case 0x45 -> next = pc + 1 + ((a & k) != 0 ? program.jumpTrue(pc) : program.jumpFalse(pc));
                case 0x06 -> {
                    return k;
                }
                default -> throw new AssertionError("unexpected opcode 0x" + Integer.toHexString(code));
            }
            if (next <= pc) {
                throw new AssertionError("backward jump at " + pc);
            }
            pc = next;
        }
    }

    private static int size(int code) {
        return switch (code & 0x18) {
            case 0x00 -> 4;
            case 0x08 -> 2;
            default -> 1;
        };
    }

    private static Integer load(byte[] frame, Metadata metadata, int offset, int size) {
        if (offset >= SKF_AD_OFF && offset < 0) {
            return switch (offset - SKF_AD_OFF) {
                case SKF_AD_PROTOCOL -> metadata.etherType();
                case SKF_AD_PKTTYPE -> metadata.packetType();
                case SKF_AD_HATYPE -> metadata.hardwareType();
                default -> throw new AssertionError("unexpected ancillary load " + (offset - SKF_AD_OFF));
            };
        }
        int position = offset >= SKF_NET_OFF && offset < SKF_AD_OFF
                ? metadata.linkHeaderLength() + (offset - SKF_NET_OFF)
                : offset;
        if (position < 0 || position + size > frame.length) {
            return null;
        }
        int value = 0;
        for (int i = 0; i < size; i++) {
            value = (value << 8) | (frame[position + i] & 0xFF);
        }
        return value;
    }
}
