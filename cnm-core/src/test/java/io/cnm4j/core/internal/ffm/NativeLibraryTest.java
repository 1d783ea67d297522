package io.cnm4j.core.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class NativeLibraryTest {
    private static final NativeLibrary LIBC = NativeLibrary.libc();

    @Test
    void capturedErrnoIsTheOneTheFailingCallSet() throws Throwable {
        MethodHandle close = LIBC.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CapturedError.ERRNO);
        MethodHandle chdir = LIBC.downcall("chdir", FunctionDescriptor.of(JAVA_INT, ADDRESS), CapturedError.ERRNO);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CapturedError.allocateState(arena);

            // when: closing a descriptor that cannot exist fails with EBADF
            int closed = (int) close.invokeExact(state, -1);

            // then
            assertThat(closed).isEqualTo(-1);
            assertThat(CapturedError.ERRNO.read(state)).isEqualTo(LinuxErrno.EBADF);

            // when: a later failing call overwrites it with its own errno
            int changed = (int) chdir.invokeExact(state, arena.allocateFrom("/cnm4j-no-such-directory"));

            // then
            assertThat(changed).isEqualTo(-1);
            assertThat(CapturedError.ERRNO.read(state)).isEqualTo(LinuxErrno.ENOENT);
        }
    }

    @Test
    void aMissingFunctionIsNamedWithItsLibrary() {
        assertThatThrownBy(() -> LIBC.downcall("cnm4j_no_such_function", FunctionDescriptor.ofVoid()))
                .isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessage("libc lacks cnm4j_no_such_function");
        assertThat(LIBC.optionalDowncall("cnm4j_no_such_function", FunctionDescriptor.ofVoid())).isEmpty();
        assertThat(LIBC.optionalDowncall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT))).isPresent();
    }

    @Test
    void stringOfANullPointerIsNull() {
        assertThat(NativeLibrary.string(MemorySegment.NULL)).isNull();
        try (Arena arena = Arena.ofConfined()) {
            assertThat(NativeLibrary.string(MemorySegment.ofAddress(arena.allocateFrom("cnm4j").address())))
                    .isEqualTo("cnm4j");
        }
    }

    @Test
    void propagateRethrowsErrorsAndPassesUncheckedExceptionsBack() {
        IllegalArgumentException unchecked = new IllegalArgumentException("wrong argument");
        assertThat(NativeLibrary.propagate(unchecked)).isSameAs(unchecked);
        assertThatThrownBy(() -> NativeLibrary.propagate(new OutOfMemoryError("native")))
                .isInstanceOf(OutOfMemoryError.class).hasMessage("native");
        assertThat(NativeLibrary.propagate(new Exception("checked")))
                .isInstanceOf(IllegalStateException.class).hasRootCauseMessage("checked");
    }
}
