package io.cnm4j.examples.cnm;

/** One parsed {@code cnm} command, ready to run. */
sealed interface Subcommand permits CapsCommand, WatchCommand, TopCommand, MapCommand, FleetCommand, HelpCommand {
    /**
     * Runs the command to its end.
     *
     * @return the process exit code
     * @throws io.cnm4j.core.BackendUnavailableException when no backend can capture here
     */
    int run(Streams io);
}
