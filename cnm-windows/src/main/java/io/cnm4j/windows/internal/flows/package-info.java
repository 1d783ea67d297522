/**
 * The flow side of the backend: the flow-table read loop, record to event mapping, the closed-flow
 * waiter thread and the backend itself. Table reads are serialized by the backend's lock.
 */
package io.cnm4j.windows.internal.flows;
