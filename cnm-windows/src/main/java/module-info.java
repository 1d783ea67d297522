/**
 * The Windows backend ({@code windows-driver}) over Datadog's ddnpm driver. Only the provider is
 * API; it is found by {@link java.util.ServiceLoader}. Run with
 * {@code --enable-native-access=io.cnm4j.windows}.
 */
module io.cnm4j.windows {
    requires transitive io.cnm4j.core;
    requires io.cnm4j.dns;
    requires org.slf4j;

    exports io.cnm4j.windows;

    provides io.cnm4j.core.spi.FlowBackendProvider with io.cnm4j.windows.WindowsDriverBackendProvider;
}
