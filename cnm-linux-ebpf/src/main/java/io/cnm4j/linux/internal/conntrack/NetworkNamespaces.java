package io.cnm4j.linux.internal.conntrack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Network namespace identity: the inode {@code /proc/.../ns/net} links to ({@code net:[4026531840]}). */
public final class NetworkNamespaces {
    private NetworkNamespaces() {
    }

    /** The inode of the namespace a {@code ns/net} link (or a bind mount of one) names, -1 when unreadable. */
    public static long inodeOf(Path nsFile) {
        try {
            if (Files.isSymbolicLink(nsFile)) {
                String link = Files.readSymbolicLink(nsFile).toString();
                return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
            }
            Object inode = Files.getAttribute(nsFile, "unix:ino");
            return ((Number) inode).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The inode of this process's own network namespace, -1 when unreadable. */
    public static long own() {
        return inodeOf(Path.of("/proc/self/ns/net"));
    }
}
