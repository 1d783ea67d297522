package io.cnm4j.linux.internal.conntrack;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The conntrack thread's counters, read by the collecting thread: every kind of loss, so that
 * a connection without its translation can be explained.
 */
final class ConntrackCounters {
    /** Conntrack events (new and destroyed entries) received. */
    final AtomicLong events = new AtomicLong();
    /** Translated entries received by dumps (the initial one and those after an overrun). */
    final AtomicLong dumped = new AtomicLong();
    /** Messages that could not be decoded. */
    final AtomicLong rejected = new AtomicLong();
    /** New-entry events skipped by the rate limit. */
    final AtomicLong sampledOut = new AtomicLong();
    /** Times the kernel dropped events because the socket's receive buffer was full (ENOBUFS). */
    final AtomicLong overruns = new AtomicLong();
    /** Dumps taken to recover from an overrun. */
    final AtomicLong redumps = new AtomicLong();
    /** Namespaces that could not be watched: the bound was reached or entering them failed. */
    final AtomicLong namespacesRefused = new AtomicLong();
    /** Failures of the conntrack thread's duty cycle, each followed by a retry. */
    final AtomicLong workerErrors = new AtomicLong();
}
