package io.cnm4j.linux.internal.libbpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What this process holds of the kernel's BPF objects, read from /proc/self/fd and fdinfo, and what
 * the kernel still lists system-wide, read from bpftool.
 *
 * @param anonymousInodes how many descriptors of each anonymous kind ({@code bpf-map}, {@code bpf_link},
 *     {@code [eventpoll]}...) this process has open
 * @param programIds kernel ids of the BPF programs this process holds a descriptor of
 * @param mapIds kernel ids of the BPF maps this process holds a descriptor of
 * @param linkIds kernel ids of the BPF links this process holds a descriptor of
 */
public record ProcessBpfResources(Map<String, Integer> anonymousInodes, Set<Integer> programIds, Set<Integer> mapIds,
        Set<Integer> linkIds) {

    private static final Path FDS = Path.of("/proc/self/fd");
    private static final Path FDINFO = Path.of("/proc/self/fdinfo");
    private static final String ANONYMOUS_INODE = "anon_inode:";
    private static final Pattern ID_LINE = Pattern.compile("^(prog_id|map_id|link_id):\\s+(\\d+)$", Pattern.MULTILINE);
    private static final Pattern BPFTOOL_ID = Pattern.compile("^(\\d+): ", Pattern.MULTILINE);

    public static ProcessBpfResources ofThisProcess() {
        Map<String, Integer> anonymousInodes = new TreeMap<>();
        Set<Integer> programIds = new TreeSet<>();
        Set<Integer> mapIds = new TreeSet<>();
        Set<Integer> linkIds = new TreeSet<>();
        for (Path fd : descriptors()) {
            String target;
            String info;
            try {
                target = Files.readSymbolicLink(fd).toString();
                info = Files.readString(FDINFO.resolve(fd.getFileName()));
            } catch (NoSuchFileException closedMeanwhile) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!target.startsWith(ANONYMOUS_INODE)) {
                continue;
            }
            anonymousInodes.merge(target.substring(ANONYMOUS_INODE.length()), 1, Integer::sum);
            Matcher id = ID_LINE.matcher(info);
            while (id.find()) {
                Set<Integer> ids = switch (id.group(1)) {
                    case "prog_id" -> programIds;
                    case "map_id" -> mapIds;
                    default -> linkIds;
                };
                ids.add(Integer.parseInt(id.group(2)));
            }
        }
        return new ProcessBpfResources(anonymousInodes, programIds, mapIds, linkIds);
    }

    /** What this snapshot holds beyond an earlier one. */
    public ProcessBpfResources minus(ProcessBpfResources earlier) {
        Map<String, Integer> inodes = new TreeMap<>(anonymousInodes);
        earlier.anonymousInodes.forEach((kind, n) -> inodes.merge(kind, -n, Integer::sum));
        inodes.values().removeIf(n -> n == 0);
        return new ProcessBpfResources(inodes, difference(programIds, earlier.programIds),
                difference(mapIds, earlier.mapIds), difference(linkIds, earlier.linkIds));
    }

    /** Ids of programs, maps or links ({@code "prog"}, {@code "map"}, {@code "link"}) the kernel lists. */
    public static Set<Integer> listedByBpftool(String objectKind) {
        String output = run("bpftool", objectKind, "show");
        Set<Integer> ids = new TreeSet<>();
        Matcher id = BPFTOOL_ID.matcher(output);
        while (id.find()) {
            ids.add(Integer.parseInt(id.group(1)));
        }
        return ids;
    }

    private static List<Path> descriptors() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return new ArrayList<>(fds.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<Integer> difference(Set<Integer> all, Set<Integer> removed) {
        Set<Integer> result = new TreeSet<>(all);
        result.removeAll(removed);
        return result;
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
