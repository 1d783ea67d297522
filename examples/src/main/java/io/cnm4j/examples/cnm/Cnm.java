package io.cnm4j.examples.cnm;

import io.cnm4j.core.BackendUnavailableException;
import io.cnm4j.core.InvalidConfigException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code cnm} command-line tool: {@code caps}, {@code watch}, {@code top}, {@code map} and {@code fleet}.
 * Run it with {@code java -jar cnm.jar <command> [options]}; {@code cnm --help} lists the options.
 *
 * <p>Exit codes: 0 success, 1 an I/O or unexpected failure, 2 the command cannot run here (no
 * backend, missing privilege, no Graphviz for an image), 64 bad arguments (EX_USAGE). When a
 * command cannot run here, standard error gets exactly one sentence: what is missing and what to do.
 */
public final class Cnm {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_UNAVAILABLE = 2;
    static final int EXIT_USAGE = 64;

    /** Completes a permission failure that does not say what to do. */
    static final String PRIVILEGE_HINT = "run as root or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN";

    static final String USAGE = """
            usage: cnm <command> [options]

            commands:
              caps    the backend that captures here and which features work, with reasons
              watch   each interval's connections, as text or JSON lines (--json)
              top     live view of the busiest connections and DNS domains (q quits)
              map     who talked to whom, as a Mermaid or Graphviz graph, or an SVG or PNG image
              fleet   the fleet's service and zone maps, from the hosts' exported connections

            capture options (watch, top, map; caps takes --backend and --replay):
              --interval DURATION     time between collections (watch, map 10s; top 2s)
              --backend NAME          use this backend, e.g. linux-ebpf or replay
              --replay FILE           replay recorded events (JSON lines) instead of capturing
              --no-dns                collect no DNS statistics
              --exclude CIDR:PORTS    never report these destinations, e.g. "10.0.0.0/8:*",
                                      "*:tcp 22" or "fd00::/8:443,8000-9000"; repeatable

            watch options:
              --json                  JSON lines (conn, dns, telemetry) instead of text
              --output FILE           write to FILE instead of standard output
              --duration DURATION     stop after this long (default: on Ctrl-C, or at the
                                      end of the --replay file)
              --export TARGET         also send every interval to kafka://HOST:PORT/TOPIC
                                      (conn to TOPIC, TOPIC.dns, TOPIC.telemetry) or to
                                      otlp://HOST:PORT[?temporality=delta]; repeatable
              --tags                  tag connections: process, container, pod, host (see
                                      the README's Tags section)

            map options:
              --duration DURATION     watch this long, then print (default 30s, or to the
                                      end of the --replay file)
              --format FORMAT         mermaid (default) or dot: graph text; svg or png: an
                                      image drawn by Graphviz's dot (apt-get install graphviz)
              --output FILE           write to FILE instead of standard output (png needs it)
              --by WHAT               nodes are groups: process, container, pod, service or
                                      zone (from tags); untagged ends keep their default name

            top options:
              --group-by WHAT         rows are client → server groups: process, container,
                                      pod, service or zone, with summed traffic

            tag options (watch, top, map):
              --tag-cidr "CIDR TAGS"  tag addresses in CIDR on both ends, e.g.
                                      "10.1.0.0/16 zone:eu-west-1a"; repeatable

            fleet options:
              --from kafka://HOST:PORT/TOPIC   the connection topic the hosts export to
              --window DURATION       window of the totals (default 1m)
              --duration DURATION     consume this long once running, then print (default 30s)

            DURATION: 500ms, 10s, 2m, 1h or combined, such as 1m30s.
            Exit codes: 0 ok, 1 failure, 2 cannot run here, 64 bad arguments.
            """;

    private Cnm() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Streams.system()));
    }

    /** Parses and runs a command line; returns the exit code. Never throws. */
    static int run(String[] args, Streams io) {
        Subcommand command;
        try {
            command = parse(Arrays.asList(args));
        } catch (UsageException e) {
            io.err().println("cnm: " + e.getMessage());
            io.err().println();
            io.err().print(USAGE);
            io.err().flush();
            return EXIT_USAGE;
        }
        try {
            return command.run(io);
        } catch (BackendUnavailableException e) {
            // The backends' reasons already say what is missing and what to do.
            return unavailable(io, e.getMessage());
        } catch (InvalidConfigException e) {
            io.err().println("cnm: " + e.getMessage());
            return EXIT_USAGE;
        } catch (UncheckedIOException e) {
            io.err().println("cnm: " + e.getMessage() + ": " + e.getCause().getMessage());
            return EXIT_FAILURE;
        } catch (RuntimeException e) {
            if (Privileges.isMissingPrivilege(e)) {
                return unavailable(io, Privileges.withHint(e, PRIVILEGE_HINT));
            }
            io.err().println("cnm: unexpected failure, please report it:");
            e.printStackTrace(io.err());
            return EXIT_FAILURE;
        } finally {
            io.err().flush();
        }
    }

    /**
     * The command for {@code args}.
     *
     * @throws UsageException when the command or one of its options is wrong
     */
    static Subcommand parse(List<String> args) throws UsageException {
        if (args.contains("--help") || args.contains("-h") || (!args.isEmpty() && args.get(0).equals("help"))) {
            return new HelpCommand();
        }
        if (args.isEmpty()) {
            throw new UsageException(UsageException.Problem.MISSING_COMMAND, "", "a command is needed");
        }
        List<String> options = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "caps" -> CapsCommand.parse(options);
            case "watch" -> WatchCommand.parse(options);
            case "top" -> TopCommand.parse(options);
            case "map" -> MapCommand.parse(options);
            case "fleet" -> FleetCommand.parse(options);
            default -> throw new UsageException(UsageException.Problem.UNKNOWN_COMMAND, args.get(0),
                    "unknown command '" + args.get(0) + "'");
        };
    }

    private static int unavailable(Streams io, String sentence) {
        io.err().println(sentence);
        return EXIT_UNAVAILABLE;
    }
}
