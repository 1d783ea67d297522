/**
 * The {@code linux-sockdiag} backend: netlink sock_diag dumps of TCP sockets with their
 * {@code tcp_info}, socket owners from {@code /proc/<pid>/fd}, and the connections it could not
 * see estimated from {@code /proc/net/snmp}. Needs no capability. Everything runs on the
 * monitor's collecting thread. Internal, not API.
 */
package io.cnm4j.linux.internal.sockdiag;
