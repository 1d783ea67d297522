package io.cnm4j.windows.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Owns one Win32 HANDLE (device, completion port or event) opened through a {@link DriverChannel}:
 * exactly one owner closes it, once; closing again is harmless. Thread-safe.
 */
public final class DriverHandle implements AutoCloseable {
    private final DriverChannel channel;
    private final long value;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    public DriverHandle(DriverChannel channel, long value, String name) {
        this.channel = channel;
        this.value = value;
        this.name = name;
    }

    /** The raw handle value, for calls through the channel. */
    public long value() {
        if (closed.get()) {
            throw new IllegalStateException(name + " handle is closed");
        }
        return value;
    }

    /** What the handle is, for messages. */
    public String name() {
        return name;
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            channel.closeHandle(value);
        }
    }

    @Override
    public String toString() {
        return name + "@0x" + Long.toHexString(value);
    }
}
