/**
 * DNS capture over the driver's transport handle: overlapped reads on a completion port, consumed
 * by one capture thread that feeds cnm-dns.
 */
package io.cnm4j.windows.internal.dns;
