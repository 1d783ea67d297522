/**
 * Netlink sockets and framing shared by conntrack (NAT) and sock_diag: one owner per socket,
 * messages and attributes read in place. Internal, not API.
 */
package io.cnm4j.linux.internal.netlink;
