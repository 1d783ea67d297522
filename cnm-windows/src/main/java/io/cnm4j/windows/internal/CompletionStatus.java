package io.cnm4j.windows.internal;

/**
 * What {@code GetQueuedCompletionStatus} dequeued: refilled by every call so that the DNS loop
 * allocates nothing per packet. {@link #overlappedAddress()} is 0 when nothing was dequeued
 * (then {@link #error()} is {@link Win32Error#WAIT_TIMEOUT} or the port's failure).
 *
 * <p>Mutable; confined to the thread that polls the port.
 */
public final class CompletionStatus {
    private int error;
    private long bytesTransferred;
    private long overlappedAddress;

    /** Sets every field; called by the channel. */
    public void set(int errorCode, long bytes, long overlapped) {
        this.error = errorCode;
        this.bytesTransferred = bytes;
        this.overlappedAddress = overlapped;
    }

    /** Win32 error of the dequeued I/O (or of the wait), 0 on success. */
    public int error() {
        return error;
    }

    /** Bytes the completed read transferred. */
    public long bytesTransferred() {
        return bytesTransferred;
    }

    /** Address of the completed I/O's {@code OVERLAPPED}, 0 when none was dequeued. */
    public long overlappedAddress() {
        return overlappedAddress;
    }
}
