package io.gpfo.config;

import java.util.Optional;
import java.util.regex.Pattern;

/** A dotted-quad IPv4 address, parsed strictly (no octal, no short forms, no DNS). */
public record Ipv4(int bits) {

    private static final Pattern DOTTED_QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    public static Optional<Ipv4> parse(String text) {
        var matcher = DOTTED_QUAD.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int bits = 0;
        for (int group = 1; group <= 4; group++) {
            String octet = matcher.group(group);
            int value = Integer.parseInt(octet);
            if (value > 255 || (octet.length() > 1 && octet.startsWith("0"))) {
                return Optional.empty();
            }
            bits = (bits << 8) | value;
        }
        return Optional.of(new Ipv4(bits));
    }

    /** The prefix length of a contiguous netmask such as 255.255.252.0, or empty if not contiguous. */
    public Optional<Integer> asPrefix() {
        int prefix = Integer.bitCount(bits);
        return mask(prefix) == bits ? Optional.of(prefix) : Optional.empty();
    }

    public boolean sameSubnet(Ipv4 other, int prefix) {
        int mask = mask(prefix);
        return (bits & mask) == (other.bits & mask);
    }

    public Ipv4 network(int prefix) {
        return new Ipv4(bits & mask(prefix));
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    @Override
    public String toString() {
        return ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
