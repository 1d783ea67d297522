package io.cnm4j.linux.internal.sockdiag;

/** Drives a sock_diag backend through its life for tests of other packages. */
public final class SockDiagBackends {
    private SockDiagBackends() {
    }

    /** Opens, starts, polls once and closes a backend twice (closing again must be harmless). */
    public static void openPollAndCloseTwice() {
        SockDiagBackend backend = SockDiagBackend.open();
        backend.start();
        backend.readActive(update -> { });
        backend.close();
        backend.close();
    }
}
