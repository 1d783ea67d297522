package io.cnm4j.windows.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DriverHandleTest {
    @Test
    void closesItsHandleExactlyOnceAndRefusesUseAfterClose() {
        ScriptedDriverChannel channel = new ScriptedDriverChannel();
        DriverHandle handle = new DriverHandle(channel, channel.createFile("\\\\.\\ddnpm\\flowstatshandle", false), "flow");
        long value = handle.value();
        handle.close();
        handle.close();
        assertThat(handle.isClosed()).isTrue();
        assertThat(channel.calls()).containsExactly("CreateFileW \\\\.\\ddnpm\\flowstatshandle sync",
                "CloseHandle flowstatshandle");
        assertThat(handle.toString()).isEqualTo("flow@0x" + Long.toHexString(value));
        assertThatThrownBy(handle::value).isInstanceOf(IllegalStateException.class).hasMessage("flow handle is closed");
    }
}
