/**
 * cnm4j's core: the monitor API ({@code io.cnm4j.core}), the backend SPI
 * ({@code io.cnm4j.core.spi}) and the replay backend ({@code io.cnm4j.core.replay}). The engine in
 * {@code io.cnm4j.core.internal} is exported only to the cnm4j modules that build on it.
 */
module io.cnm4j.core {
    requires transitive HdrHistogram;
    requires com.fasterxml.jackson.core;
    requires org.jctools.core;
    requires org.slf4j;

    exports io.cnm4j.core;
    exports io.cnm4j.core.spi;
    exports io.cnm4j.core.replay;
    exports io.cnm4j.core.internal to io.cnm4j.linux;
    exports io.cnm4j.core.internal.ffm to io.cnm4j.linux, io.cnm4j.windows;

    uses io.cnm4j.core.spi.FlowBackendProvider;
}
