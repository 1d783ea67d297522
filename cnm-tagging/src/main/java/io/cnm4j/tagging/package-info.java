/**
 * Tags on connections (process, container, Kubernetes, host and cloud, CIDR rules, DNS) and
 * traffic aggregated by tag.
 *
 * <p>API: the taggers ({@link io.cnm4j.tagging.ProcessTagger}, {@link io.cnm4j.tagging.ContainerTagger},
 * {@link io.cnm4j.tagging.KubernetesTagger}, {@link io.cnm4j.tagging.HostTagger},
 * {@link io.cnm4j.tagging.CidrTagger}, {@link io.cnm4j.tagging.RemoteDomainTagger}), their
 * configuration values, {@link io.cnm4j.tagging.TagKeys} and {@link io.cnm4j.tagging.TrafficAggregation}.
 * Everything in {@code io.cnm4j.tagging.internal} may change.
 *
 * <p>Threads: every tagger is thread-safe. The monitor calls them on its collecting thread,
 * where they only read caches; sources that may be slow are fetched on one daemon thread per
 * tagger named {@code cnm4j-<role>}, which logs and counts its failures and never dies of them.
 * Taggers holding a thread are {@link java.lang.AutoCloseable} and owned by whoever built them.
 */
package io.cnm4j.tagging;
