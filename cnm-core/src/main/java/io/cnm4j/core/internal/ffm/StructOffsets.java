package io.cnm4j.core.internal.ffm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;

/**
 * Byte offsets and sizes read from a declared struct layout, for the {@code static final int}
 * constants that flyweight decoders index with. The layout states the C struct once (and the FFM
 * API rejects a field that is not naturally aligned), so no offset is written by hand.
 * Stateless.
 */
public final class StructOffsets {
    private StructOffsets() {
    }

    /**
     * The offset of a field, following nested structs by name ({@code "key", "cookie"}).
     *
     * @throws IllegalArgumentException when the layout has no such field
     */
    public static int offset(GroupLayout struct, String... path) {
        return Math.toIntExact(struct.byteOffset(elements(path)));
    }

    /** The size of a field, following nested structs by name. */
    public static int size(GroupLayout struct, String... path) {
        return Math.toIntExact(struct.select(elements(path)).byteSize());
    }

    /** {@code sizeof} the struct. */
    public static int size(GroupLayout struct) {
        return Math.toIntExact(struct.byteSize());
    }

    private static MemoryLayout.PathElement[] elements(String[] path) {
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = MemoryLayout.PathElement.groupElement(path[i]);
        }
        return elements;
    }
}
