package io.cnm4j.linux.internal.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/** libc calls the integration tests trigger or compare against. */
final class Syscalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETPPID = bind("getppid");
    private static final MethodHandle GETTID = bind("gettid");
    private static final MethodHandle GETEUID = bind("geteuid");

    private Syscalls() {
    }

    static int getppid() {
        return call(GETPPID);
    }

    /** The kernel id of the calling thread: the low half of bpf_get_current_pid_tgid(). */
    static int gettid() {
        return call(GETTID);
    }

    static int geteuid() {
        return call(GETEUID);
    }

    private static int call(MethodHandle function) {
        try {
            return (int) function.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle bind(String name) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(JAVA_INT));
    }
}
