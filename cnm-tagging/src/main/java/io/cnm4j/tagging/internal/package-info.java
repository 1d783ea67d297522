/**
 * Internals of the taggers: bounded caches, the background worker, procfs and cgroup readers,
 * JSON and HTTP clients. Not API; confined as each class says.
 */
package io.cnm4j.tagging.internal;
