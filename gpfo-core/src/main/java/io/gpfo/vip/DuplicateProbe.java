package io.gpfo.vip;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer of {@code arping -D} (duplicate address detection): iputils exits 0 when nobody
 * answered for the address and 1 when someone did; the reply line names the holder's MAC.
 */
public record DuplicateProbe(boolean answered, Optional<String> replierMac) {

    /** Nobody answered. */
    public static final DuplicateProbe NOBODY = new DuplicateProbe(false, Optional.empty());

    private static final Pattern REPLY = Pattern.compile("reply from \\S+ \\[([0-9A-Fa-f:]{17})\\]");

    public static DuplicateProbe parse(int exitCode, String output) {
        Matcher matcher = REPLY.matcher(output);
        Optional<String> mac = matcher.find() ? Optional.of(matcher.group(1).toLowerCase(java.util.Locale.ROOT)) : Optional.empty();
        return new DuplicateProbe(exitCode == 1 || mac.isPresent(), mac);
    }
}
