/**
 * The ddnpm driver's user-space protocol, pure and OS-independent: IOCTL codes, structure
 * versions, the filter encoder, flyweight decoders of flow records and packet headers, the
 * statistics block. Flyweights are mutable and confined to one thread; everything else is immutable.
 */
package io.cnm4j.windows.internal.protocol;
