package io.cnm4j.examples.cnm;

/** Resolves a process id to its command name; implementations say whether they are thread-safe. */
@FunctionalInterface
interface ProcessNames {
    /** The name of the process, or an empty string when it is unknown (pid 0, process gone). */
    String nameOf(int pid);
}
