package io.cnm4j.bench;

import java.io.OutputStream;

/** Discards what is written and counts the bytes, so the JIT cannot drop the writing. Not thread-safe. */
final class CountingOutputStream extends OutputStream {
    private long count;

    @Override
    public void write(int b) {
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        count += len;
    }

    long count() {
        return count;
    }
}
