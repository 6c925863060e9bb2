package io.gpfo.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}, {@code 1d},
 * and compounds from the largest unit down such as {@code 1h30m} or {@code 2m30s}. The config file
 * and every command-line option read them here, so both accept the same words.
 */
public final class Durations {

    /** What to show after "is not a duration". */
    public static final String EXPECTED = "expected e.g. 500ms, 2s, 1m, 1h30m, 1d";

    private record Unit(String suffix, Duration length) {
    }

    // largest first: a compound names each unit at most once, in this order
    private static final List<Unit> UNITS = List.of(new Unit("d", Duration.ofDays(1)), new Unit("h", Duration.ofHours(1)),
            new Unit("m", Duration.ofMinutes(1)), new Unit("s", Duration.ofSeconds(1)), new Unit("ms", Duration.ofMillis(1)));

    private static final Pattern DURATION = Pattern.compile(
            "(?:(\\d{1,9})d)?(?:(\\d{1,9})h)?(?:(\\d{1,9})m(?!s))?(?:(\\d{1,9})s)?(?:(\\d{1,9})ms)?");

    private Durations() {
    }

    public static Optional<Duration> parse(String text) {
        String stripped = text.strip();
        Matcher matcher = DURATION.matcher(stripped);
        if (stripped.isEmpty() || !matcher.matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        for (int i = 0; i < UNITS.size(); i++) {
            String amount = matcher.group(i + 1);
            if (amount != null) {
                total = total.plus(UNITS.get(i).length().multipliedBy(Long.parseLong(amount)));
            }
        }
        return Optional.of(total);
    }

    /** The shortest compound that {@link #parse} reads back as the same duration, e.g. {@code 1h30m}, {@code 500ms}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        Duration rest = duration;
        for (Unit unit : UNITS) {
            long amount = rest.dividedBy(unit.length());
            if (amount > 0) {
                text.append(amount).append(unit.suffix());
                rest = rest.minus(unit.length().multipliedBy(amount));
            }
        }
        return text.toString();
    }
}
