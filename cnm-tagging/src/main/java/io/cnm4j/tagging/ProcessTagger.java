package io.cnm4j.tagging;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.FlowIdentity;
import io.cnm4j.core.Tagger;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.tagging.internal.BoundedCache;
import io.cnm4j.tagging.internal.ProcFiles;
import io.cnm4j.tagging.internal.Settings;
import io.cnm4j.tagging.internal.UserNames;
import io.cnm4j.tagging.internal.TaggingCounters;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Process tags: {@value TagKeys#PROCESS_NAME}, {@value TagKeys#PROCESS_EXE},
 * {@value TagKeys#PROCESS_CMDLINE}, {@value TagKeys#PROCESS_USER}, {@value TagKeys#PROCESS_PPID},
 * {@value TagKeys#PROCESS_START_TIME} and {@value TagKeys#SERVICE}.
 *
 * <p>The name comes from the kernel ({@link FlowIdentity#processName()}), so a process that
 * exited before the interval ended keeps it; the rest is read from {@code /proc/<pid>} while the
 * process lives and cached by (pid, start time): each PID is re-checked at most once a second,
 * and a PID reused by another process (other start time) is resolved again, never inheriting
 * the previous tags. Reads of {@code /proc} are small local files, done on the caller's thread at
 * the first sight of a process. Thread-safe; holds no thread.
 */
public final class ProcessTagger implements Tagger {
    /** Telemetry: cached processes evicted to stay within the cache capacity. */
    public static final String CACHE_EVICTIONS = "tag_process_cache_evictions";
    /** Telemetry: PIDs whose {@code /proc} entry could not be read (exited or not visible). */
    public static final String LOOKUP_FAILURES = "tag_process_lookup_failures";

    private static final long REVALIDATE_NANOS = 1_000_000_000L;
    /** USER_HZ: /proc reports times in these ticks on every Linux architecture. */
    private static final long TICKS_PER_SECOND = 100;
    private static final int ENVIRON_LIMIT = 256 * 1024;

    private final ProcFiles proc;
    private final UserNames users;
    private final ServiceRule serviceRule;
    private final int maxCmdlineChars;
    private final boolean includeCmdline;
    private final BoundedCache<Integer, Entry> cache;
    private final LongAdder lookupFailures = new LongAdder();
    private volatile long bootTimeSeconds = -1;

    /** What is known of one process; {@code startTicks} -1 when /proc could not be read. */
    private record Entry(long startTicks, String name, Map<String, String> tags, long checkedAtNanos) {
        Entry checkedAt(long nanos) {
            return new Entry(startTicks, name, tags, nanos);
        }
    }

    private ProcessTagger(Builder builder) {
        this.proc = new ProcFiles(builder.procRoot);
        this.users = new UserNames(builder.passwdFile);
        this.serviceRule = builder.serviceRule;
        this.maxCmdlineChars = builder.maxCmdlineChars;
        this.includeCmdline = builder.includeCmdline;
        this.cache = new BoundedCache<>(builder.cacheCapacity);
    }

    /**
     * A tagger reading {@code /proc} with the default service rule.
     *
     * @return the new ProcessTagger
     */
    public static ProcessTagger create() {
        return builder().build();
    }

    /**
     * Starts building a {@link ProcessTagger}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Map<String, String> tags(ConnectionKey key) {
        return tags(FlowIdentity.of(key));
    }

    @Override
    public Map<String, String> tags(FlowIdentity flow) {
        String kernelName = flow.processName();
        if (flow.pid() == 0) {
            return kernelName.isEmpty() ? Map.of() : nameOnly(kernelName);
        }
        Entry entry = current(flow.pid(), kernelName);
        if (entry.startTicks < 0) {
            return kernelName.isEmpty() ? Map.of() : nameOnly(kernelName);
        }
        if (kernelName.isEmpty() || kernelName.equals(entry.name)) {
            return entry.tags;
        }
        // the kernel saw the name at connect time; it may differ from today's /proc (exec, prctl)
        Map<String, String> tags = new HashMap<>(entry.tags);
        tags.put(TagKeys.PROCESS_NAME, kernelName);
        return Map.copyOf(tags);
    }

    private Entry current(int pid, String kernelName) {
        long now = System.nanoTime();
        Entry entry = cache.get(pid);
        boolean nameDiffers = entry != null && !kernelName.isEmpty() && !kernelName.equals(entry.name);
        if (entry != null && !nameDiffers && now - entry.checkedAtNanos < REVALIDATE_NANOS) {
            return entry;
        }
        OptionalLong start = proc.startTicks(pid);
        if (start.isEmpty()) {
            if (entry == null || entry.startTicks < 0 || nameDiffers) {
                // gone before we looked: only the kernel's name is left
                lookupFailures.increment();
                entry = new Entry(-1, kernelName, Map.of(), now);
            } else {
                // the process exited after we resolved it: keep what we learnt while it lived
                entry = entry.checkedAt(now);
            }
        } else if (entry != null && entry.startTicks == start.getAsLong()) {
            entry = entry.checkedAt(now);
        } else {
            entry = resolve(pid, start.getAsLong(), kernelName, now);
        }
        cache.put(pid, entry);
        return entry;
    }

    private Entry resolve(int pid, long startTicks, String kernelName, long now) {
        String name = proc.comm(pid);
        if (name.isEmpty()) {
            name = kernelName;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        put(tags, TagKeys.PROCESS_NAME, name);
        put(tags, TagKeys.PROCESS_EXE, proc.exe(pid));
        if (includeCmdline) {
            put(tags, TagKeys.PROCESS_CMDLINE, proc.cmdline(pid, maxCmdlineChars));
        }
        String uid = proc.statusField(pid, "Uid");
        if (!uid.isEmpty()) {
            put(tags, TagKeys.PROCESS_USER, users.name(uid));
        }
        put(tags, TagKeys.PROCESS_PPID, proc.statusField(pid, "PPid"));
        long boot = bootTime();
        if (boot > 0) {
            tags.put(TagKeys.PROCESS_START_TIME, Instant.ofEpochSecond(boot + startTicks / TICKS_PER_SECOND).toString());
        }
        service(pid, name).ifPresent(s -> tags.put(TagKeys.SERVICE, s));
        return new Entry(startTicks, name, Map.copyOf(tags), now);
    }

    private Optional<String> service(int pid, String name) {
        for (ServiceRule.Source source : serviceRule.sources()) {
            String value = switch (source) {
                case ServiceRule.Environment env -> proc.environmentVariable(pid, env.variable(), ENVIRON_LIMIT);
                case ServiceRule.SystemdUnit unit -> systemdUnit(pid);
                case ServiceRule.ProcessName processName -> name;
            };
            if (!value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private String systemdUnit(int pid) {
        List<String> paths = proc.cgroupPaths(pid);
        for (String path : paths) {
            Optional<String> unit = CgroupPaths.systemdService(path);
            if (unit.isPresent()) {
                return unit.get().substring(0, unit.get().length() - ".service".length());
            }
        }
        return "";
    }

    private Map<String, String> nameOnly(String name) {
        boolean serviceFromName = serviceRule.sources().stream().anyMatch(s -> s instanceof ServiceRule.ProcessName);
        return serviceFromName
                ? Map.of(TagKeys.PROCESS_NAME, name, TagKeys.SERVICE, name)
                : Map.of(TagKeys.PROCESS_NAME, name);
    }

    private long bootTime() {
        if (bootTimeSeconds < 0) {
            bootTimeSeconds = proc.bootTimeSeconds();
        }
        return bootTimeSeconds;
    }

    private static void put(Map<String, String> tags, String key, String value) {
        if (!value.isEmpty()) {
            tags.put(key, value);
        }
    }

    @Override
    public Map<String, Long> telemetry() {
        return Map.of(CACHE_EVICTIONS, cache.evictions(), LOOKUP_FAILURES, lookupFailures.sum());
    }

    @Override
    public List<TelemetryCounter> telemetryCounters() {
        return TaggingCounters.PROCESS;
    }

    /** Configures a {@link ProcessTagger}; not thread-safe. */
    public static final class Builder {
        private Path procRoot = Path.of("/proc");
        private Path passwdFile = Path.of("/etc/passwd");
        private ServiceRule serviceRule = ServiceRule.defaults();
        private int maxCmdlineChars = 256;
        private boolean includeCmdline = true;
        private int cacheCapacity = 4096;

        private Builder() {
        }

        /**
         * Where procfs is mounted (default {@code /proc}; {@code /host/proc} in a container).
         *
         * @param value where procfs is mounted (default {@code /proc}; {@code /host/proc} in a container)
         * @return this builder
         */
        public Builder procRoot(Path value) {
            procRoot = Objects.requireNonNull(value, "procRoot");
            return this;
        }

        /**
         * The passwd file that names uids (default {@code /etc/passwd}).
         *
         * @param value the passwd file that names uids (default {@code /etc/passwd})
         * @return this builder
         */
        public Builder passwdFile(Path value) {
            passwdFile = Objects.requireNonNull(value, "passwdFile");
            return this;
        }

        /**
         * How the {@code service} tag is derived (default {@link ServiceRule#defaults()}).
         *
         * @param value the rule
         * @return this builder
         */
        public Builder serviceRule(ServiceRule value) {
            serviceRule = Objects.requireNonNull(value, "serviceRule");
            return this;
        }

        /**
         * Command lines longer than this are cut (default 256 characters).
         *
         * @param value command lines longer than this are cut (default 256 characters)
         * @return this builder
         */
        public Builder maxCmdlineChars(int value) {
            maxCmdlineChars = Settings.positive("maxCmdlineChars", value);
            return this;
        }

        /**
         * Whether to add {@value TagKeys#PROCESS_CMDLINE} (default true); command lines may hold secrets.
         *
         * @param value whether to add {@value TagKeys#PROCESS_CMDLINE} (default true); command lines may hold secrets
         * @return this builder
         */
        public Builder includeCmdline(boolean value) {
            includeCmdline = value;
            return this;
        }

        /**
         * Processes kept in the cache (default 4096); evictions are counted.
         *
         * @param value processes kept in the cache (default 4096); evictions are counted
         * @return this builder
         */
        public Builder cacheCapacity(int value) {
            cacheCapacity = Settings.positive("cacheCapacity", value);
            return this;
        }

        /**
         * Builds the ProcessTagger from the settings made so far.
         *
         * @return the new ProcessTagger
         */
        public ProcessTagger build() {
            return new ProcessTagger(this);
        }
    }
}
