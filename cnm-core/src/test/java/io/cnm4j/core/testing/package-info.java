/**
 * Test fixtures shared with the other modules through cnm-core's test-jar: the
 * {@link io.cnm4j.core.testing.FlowBackendContract} every backend runs, and the check of the
 * README's telemetry table against counter declarations. Not part of the library.
 */
package io.cnm4j.core.testing;
