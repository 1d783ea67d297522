package io.cnm4j.examples.cnm;

/** {@code cnm help}, {@code cnm --help} or {@code --help} anywhere: the usage text on standard output. */
record HelpCommand() implements Subcommand {
    @Override
    public int run(Streams io) {
        io.out().print(Cnm.USAGE);
        io.out().flush();
        return Cnm.EXIT_OK;
    }
}
