package io.cnm4j.core.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parses literal IPv4/IPv6 addresses without ever resolving a host name. */
final class InetLiteral {
    private InetLiteral() {
    }

    /**
     * The 4 or 16 address bytes of a literal.
     *
     * @throws IllegalArgumentException when the text is not a literal address
     */
    public static byte[] parse(String text) {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = text.contains(":") && text.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
        if (v4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("'" + text + "' has an IPv4 octet over 255");
                }
            }
        }
        try {
            // A literal never triggers a lookup; the checks above guarantee a literal.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
    }
}
