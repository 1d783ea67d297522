package io.cnm4j.windows.internal.kernel32;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Checks every descriptor against the Win32 prototype as the SDK headers declare it, mapped with
 * the x64 (LLP64) sizes: pointers and handles 64-bit, DWORD and BOOL 32-bit, ULONG_PTR and
 * ULONGLONG 64-bit.
 */
class Kernel32DescriptorTest {
    private static final Map<String, String> PROTOTYPES = new LinkedHashMap<>();

    static {
        PROTOTYPES.put("CreateFileW", "HANDLE(LPCWSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD, HANDLE)");
        PROTOTYPES.put("DeviceIoControl", "BOOL(HANDLE, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPOVERLAPPED)");
        PROTOTYPES.put("ReadFile", "BOOL(HANDLE, LPVOID, DWORD, LPDWORD, LPOVERLAPPED)");
        PROTOTYPES.put("CreateIoCompletionPort", "HANDLE(HANDLE, HANDLE, ULONG_PTR, DWORD)");
        PROTOTYPES.put("GetQueuedCompletionStatus", "BOOL(HANDLE, LPDWORD, PULONG_PTR, LPOVERLAPPED*, DWORD)");
        PROTOTYPES.put("CancelIoEx", "BOOL(HANDLE, LPOVERLAPPED)");
        PROTOTYPES.put("CreateEventW", "HANDLE(LPSECURITY_ATTRIBUTES, BOOL, BOOL, LPCWSTR)");
        PROTOTYPES.put("SetEvent", "BOOL(HANDLE)");
        PROTOTYPES.put("WaitForMultipleObjects", "DWORD(DWORD, const HANDLE*, BOOL, DWORD)");
        PROTOTYPES.put("WaitForSingleObject", "DWORD(HANDLE, DWORD)");
        PROTOTYPES.put("GetOverlappedResult", "BOOL(HANDLE, LPOVERLAPPED, LPDWORD, BOOL)");
        PROTOTYPES.put("CloseHandle", "BOOL(HANDLE)");
        PROTOTYPES.put("GetTickCount64", "ULONGLONG(void)");
    }

    private static MemoryLayout win64(String type) {
        String t = type.trim().replace("const ", "");
        if (t.endsWith("*") || t.startsWith("LP") || t.startsWith("P") || t.equals("HANDLE")) {
            return ADDRESS;
        }
        return switch (t) {
            case "DWORD", "BOOL" -> JAVA_INT;
            case "ULONG_PTR", "ULONGLONG" -> JAVA_LONG;
            default -> throw new AssertionError("unmapped Win32 type " + t);
        };
    }

    private static FunctionDescriptor fromPrototype(String prototype) {
        String result = prototype.substring(0, prototype.indexOf('('));
        String arguments = prototype.substring(prototype.indexOf('(') + 1, prototype.length() - 1);
        List<MemoryLayout> layouts = new ArrayList<>();
        if (!arguments.equals("void")) {
            for (String argument : arguments.split(",")) {
                layouts.add(win64(argument));
            }
        }
        return FunctionDescriptor.of(win64(result), layouts.toArray(MemoryLayout[]::new));
    }

    @Test
    void everyDescriptorMatchesItsWin32PrototypeInTypesAndArity() {
        assertThat(Kernel32.DESCRIPTORS.keySet()).containsExactlyInAnyOrderElementsOf(PROTOTYPES.keySet());
        PROTOTYPES.forEach((name, prototype) -> {
            FunctionDescriptor expected = fromPrototype(prototype);
            FunctionDescriptor actual = Kernel32.DESCRIPTORS.get(name);
            assertThat(actual.argumentLayouts()).as(name).hasSameSizeAs(expected.argumentLayouts());
            assertThat(actual.argumentLayouts()).as(name).isEqualTo(expected.argumentLayouts());
            assertThat(actual.returnLayout()).as(name).isEqualTo(expected.returnLayout());
        });
        assertThat(Kernel32.DEVICE_IO_CONTROL.argumentLayouts()).hasSize(8);
        assertThat(Kernel32.GET_TICK_COUNT_64.returnLayout()).isEqualTo(Optional.of(JAVA_LONG));
    }

    @Test
    void theBindingsLoadAnywhereButLinkOnlyOnWindows() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Kernel32.isWindows());
        assertThatThrownBy(() -> Kernel32.link("CloseHandle", Kernel32.CLOSE_HANDLE, true))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("kernel32 CloseHandle is only available on Windows");
        assertThatThrownBy(Kernel32DriverChannel::new).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("the kernel32 driver channel runs only on Windows");
    }
}
