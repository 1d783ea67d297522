package io.cnm4j.core;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** Names and numbers of the DNS query types that statistics are keyed by (RFC 1035 and successors). */
public final class DnsQueryType {
    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("A", 1), Map.entry("NS", 2), Map.entry("CNAME", 5), Map.entry("SOA", 6),
            Map.entry("PTR", 12), Map.entry("MX", 15), Map.entry("TXT", 16), Map.entry("AAAA", 28),
            Map.entry("SRV", 33), Map.entry("NAPTR", 35), Map.entry("DS", 43), Map.entry("DNSKEY", 48),
            Map.entry("SVCB", 64), Map.entry("HTTPS", 65), Map.entry("CAA", 257), Map.entry("ANY", 255));

    private static final String[] NAMES = new String[258];

    static {
        BY_NAME.forEach((name, number) -> NAMES[number] = name);
    }

    private DnsQueryType() {
    }

    /**
     * The mnemonic of a query type number, or {@code TYPE<n>} (RFC 3597) when it has none here.
     *
     * @param number a query type number (0..65535)
     * @return the mnemonic
     */
    public static String name(int number) {
        if (number >= 0 && number < NAMES.length && NAMES[number] != null) {
            return NAMES[number];
        }
        return "TYPE" + number;
    }

    /**
     * The number of a mnemonic such as {@code "AAAA"} or {@code "TYPE65"}; empty when unknown.
     *
     * @param name a mnemonic, case-insensitive
     * @return the number, or empty for an unknown mnemonic
     */
    public static OptionalInt number(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        Integer known = BY_NAME.get(upper);
        if (known != null) {
            return OptionalInt.of(known);
        }
        if (upper.startsWith("TYPE") && upper.length() > 4 && upper.length() <= 9) {
            try {
                int value = Integer.parseInt(upper.substring(4));
                if (value >= 0 && value <= 0xFFFF) {
                    return OptionalInt.of(value);
                }
            } catch (NumberFormatException notANumber) {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }
}
