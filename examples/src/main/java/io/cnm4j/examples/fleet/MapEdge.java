package io.cnm4j.examples.fleet;

import java.time.Instant;

/**
 * One edge of the fleet map in one window: from a source to a destination, both services or
 * both zones depending on the store. Immutable; sorts by window, then source, then destination.
 *
 * @param windowStart start of the window, epoch milliseconds
 * @param from source service or zone (the client end)
 * @param to destination service or zone (the server end)
 */
public record MapEdge(long windowStart, String from, String to) implements Comparable<MapEdge> {
    @Override
    public int compareTo(MapEdge other) {
        int byWindow = Long.compare(windowStart, other.windowStart);
        if (byWindow != 0) {
            return byWindow;
        }
        int byFrom = from.compareTo(other.from);
        return byFrom != 0 ? byFrom : to.compareTo(other.to);
    }

    @Override
    public String toString() {
        return Instant.ofEpochMilli(windowStart) + " " + from + " -> " + to;
    }

    String encode() {
        return windowStart + "\t" + TextSerde.clean(from) + "\t" + TextSerde.clean(to);
    }

    static MapEdge decode(String text) {
        String[] f = text.split("\t", -1);
        return new MapEdge(Long.parseLong(f[0]), f[1], f[2]);
    }
}
