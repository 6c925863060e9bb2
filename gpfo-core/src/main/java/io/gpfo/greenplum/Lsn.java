package io.gpfo.greenplum;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A WAL position as PostgreSQL prints it ({@code 0/3000060}: high and low 32 bits in hex), comparable. */
public record Lsn(long value) implements Comparable<Lsn> {

    private static final Pattern TEXT = Pattern.compile("([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})");

    public static Optional<Lsn> parse(String text) {
        Matcher matcher = TEXT.matcher(text == null ? "" : text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Lsn(Long.parseLong(matcher.group(1), 16) << 32 | Long.parseLong(matcher.group(2), 16)));
    }

    public boolean atLeast(Lsn other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
    }
}
