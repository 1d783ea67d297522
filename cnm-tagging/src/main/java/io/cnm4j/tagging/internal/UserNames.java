package io.cnm4j.tagging.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * uid → user name from a passwd file, loaded on first use and reloaded at most once a minute on a
 * miss (users added later). Thread-safe.
 */
public final class UserNames {
    private static final long RELOAD_NANOS = 60_000_000_000L;

    private final Path passwd;
    private Map<String, String> names = Map.of();
    private long loadedAt;
    private boolean loaded;

    public UserNames(Path passwd) {
        this.passwd = passwd;
    }

    /** The user name of a numeric uid, or the uid itself when it has no name. */
    public synchronized String name(String uid) {
        String name = names.get(uid);
        if (name == null && (!loaded || System.nanoTime() - loadedAt > RELOAD_NANOS)) {
            names = load();
            loaded = true;
            loadedAt = System.nanoTime();
            name = names.get(uid);
        }
        return name == null ? uid : name;
    }

    private Map<String, String> load() {
        Map<String, String> result = new HashMap<>();
        try {
            for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 3 && !line.startsWith("#")) {
                    result.putIfAbsent(fields[2], fields[0]);
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return result;
    }
}
