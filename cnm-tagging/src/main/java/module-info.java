/**
 * Tags on connections (process, container, Kubernetes, host and cloud, CIDR rules, DNS) and
 * traffic aggregated by tag. API: {@code io.cnm4j.tagging}.
 */
module io.cnm4j.tagging {
    requires transitive io.cnm4j.core;
    requires com.fasterxml.jackson.core;
    requires java.net.http;
    requires org.slf4j;

    exports io.cnm4j.tagging;
}
