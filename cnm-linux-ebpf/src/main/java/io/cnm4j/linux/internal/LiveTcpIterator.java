package io.cnm4j.linux.internal;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.linux.internal.libbpf.BpfObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this kernel loads the iterator {@code cnm_tcp_live} ({@code iter/bpf_sk_storage_map},
 * Linux 5.9+), which refreshes the live TCP map from the sockets just before each read, so that
 * sends and receives write nothing. Some kernels refuse map-element iterators to a process that may
 * load every other program (EPERM); there sends and receives refresh the map. Probed once per
 * process, by loading that program alone from the object itself.
 */
final class LiveTcpIterator {
    private static final Logger LOG = LoggerFactory.getLogger(LiveTcpIterator.class);
    static final String PROGRAM = "cnm_tcp_live";
    /** The probe creates every map of the object: the large ones get one entry. */
    private static final String[] SHRUNK_MAPS = {"tcp_live", "udp_stats", "udp_overflow"};

    private static Boolean accepted;

    private LiveTcpIterator() {
    }

    /** Whether the variant's object has the iterator and the running kernel loads it. */
    static synchronized boolean usable(ProgramVariant variant) {
        if (variant.socketMap()) {
            return false;
        }
        if (accepted == null) {
            accepted = probe(variant);
        }
        return accepted;
    }

    private static boolean probe(ProgramVariant variant) {
        try (BpfObject object = BpfObject.open("cnm_probe", variant.objectBytes())) {
            for (String program : object.programNames()) {
                if (!program.equals(PROGRAM)) {
                    object.program(program).setAutoload(false);
                }
            }
            for (String map : SHRUNK_MAPS) {
                object.map(map).setMaxEntries(1);
            }
            object.load();
            return true;
        } catch (NativeCallException e) {
            LOG.info("the kernel refuses the iterator {} ({}): every send and receive refreshes the live TCP"
                    + " counters instead", PROGRAM, e.getMessage());
            return false;
        }
    }
}
