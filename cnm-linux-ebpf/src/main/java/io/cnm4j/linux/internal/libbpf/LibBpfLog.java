package io.cnm4j.linux.internal.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.cnm4j.core.internal.ffm.NativeLibrary;
import io.cnm4j.linux.internal.nativeio.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes libbpf's log (its {@code libbpf_print_fn_t} callback) to slf4j under this class's logger:
 * libbpf WARN to warn, INFO to info, DEBUG to debug. A line is formatted only when its level is
 * enabled, so libbpf's chatty debug output costs nothing by default.
 *
 * <p>libbpf calls the callback on whichever thread made the libbpf call. A thread may also
 * {@link #capturingWarnings collect} the warnings of its own calls, to say why a load or an attach
 * failed; those are logged when the caller knows the outcome.
 */
final class LibBpfLog {

    private static final Logger LOG = LoggerFactory.getLogger(LibBpfLog.class);

    /** enum libbpf_print_level in libbpf.h. */
    private static final int LIBBPF_WARN = 0;
    private static final int LIBBPF_INFO = 1;

    /*
     * The third parameter is a va_list. On x86_64 it is an array type and decays to a pointer; on
     * aarch64 it is a 32-byte struct, which the ABI passes by reference. Either way it arrives as a
     * pointer, handed untouched to vasprintf.
     */
    private static final FunctionDescriptor PRINT_FN = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);

    /** The warnings of the calling thread's libbpf calls, while it collects them; else null. */
    private static final ThreadLocal<List<String>> CAPTURED = new ThreadLocal<>();

    private LibBpfLog() {
    }

    /**
     * Warnings libbpf printed during one call, with the call's result; logged only by
     * {@link #logWarnings}, once the caller knows whether the call failed.
     */
    record Captured<T>(T result, List<String> warnings) {
        /**
         * Logs the warnings: at warn after a call that succeeded; at debug after one that failed,
         * whose exception carries the line that says why (a caller that falls back to something
         * else then prints one sentence, not the verifier's whole log).
         */
        void logWarnings(boolean failed) {
            for (String warning : warnings) {
                if (failed) {
                    LOG.debug(warning);
                } else {
                    LOG.warn(warning);
                }
            }
        }
    }

    /** Runs a libbpf call on this thread and collects the warnings it prints instead of logging them. */
    static <T> Captured<T> capturingWarnings(Supplier<T> call) {
        List<String> warnings = new ArrayList<>();
        CAPTURED.set(warnings);
        try {
            return new Captured<>(call.get(), List.copyOf(warnings));
        } finally {
            CAPTURED.remove();
        }
    }

    /**
     * Creates the native function pointer to hand to {@code libbpf_set_print}. It lives in the global
     * arena because libbpf keeps it for the rest of the process.
     */
    static MemorySegment printFunction() {
        try {
            var print = MethodHandles.lookup().findStatic(LibBpfLog.class, "print",
                    MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            return NativeLibrary.upcall(print, PRINT_FN, Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("LibBpfLog.print is missing", e);
        }
    }

    /** Must not throw: an exception crossing back into native code would terminate the JVM. */
    private static int print(int level, MemorySegment format, MemorySegment arguments) {
        try {
            if (level == LIBBPF_WARN) {
                List<String> captured = CAPTURED.get();
                if (captured != null) {
                    captured.add(text(format, arguments));
                } else if (LOG.isWarnEnabled()) {
                    LOG.warn(text(format, arguments));
                }
            } else if (level == LIBBPF_INFO) {
                if (LOG.isInfoEnabled()) {
                    LOG.info(text(format, arguments));
                }
            } else if (LOG.isDebugEnabled()) {
                LOG.debug(text(format, arguments));
            }
        } catch (Throwable ignored) {
            // Losing one log line is the only safe answer here.
        }
        return 0;
    }

    /** libbpf ends its lines with a newline that slf4j adds itself. */
    private static String text(MemorySegment format, MemorySegment arguments) {
        return Libc.format(format, arguments).stripTrailing();
    }
}
