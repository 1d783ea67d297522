package io.cnm4j.linux.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux kernel release as {@code uname -r} prints it ({@code 6.1.0-57-amd64}): the major and
 * minor numbers decide what the eBPF backend may use, the full release goes into messages.
 */
record KernelVersion(int major, int minor, String release) {
    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");

    /**
     * Parses a release string.
     *
     * @throws IllegalArgumentException when it does not start with {@code MAJOR.MINOR}
     */
    static KernelVersion parse(String release) {
        Matcher m = MAJOR_MINOR.matcher(release);
        if (!m.find()) {
            throw new IllegalArgumentException("not a kernel release (MAJOR.MINOR...): " + release);
        }
        return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), release);
    }

    /** The running kernel ({@code os.version} is the kernel release on Linux); 0.0 when unknown. */
    static KernelVersion running() {
        String release = System.getProperty("os.version", "");
        return MAJOR_MINOR.matcher(release).find() ? parse(release) : new KernelVersion(0, 0, release);
    }

    boolean atLeast(int wantedMajor, int wantedMinor) {
        return major > wantedMajor || (major == wantedMajor && minor >= wantedMinor);
    }

    @Override
    public String toString() {
        return release;
    }
}
