package io.gpfo.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Maintenance mode: {@code <state.directory>/paused}, holding "indefinitely" or the instant the
 * pause ends, and on a second line who paused and why ({@code by: gpfo rejoin}). A file of its own,
 * not part of the journal, because {@code gpfo pause} writes it (locally and on the peer over SSH)
 * while the agent owns the journal.
 */
public final class PauseFile {

    public static final String FILE_NAME = "paused";
    /** Left by 'gpfo resume' for the agent: forgive a failed promotion and watch again. */
    public static final String RESUME_FILE_NAME = "resume-requested";
    public static final String INDEFINITELY = "indefinitely";
    /** Who paused when nobody said: the operator, with 'gpfo pause'. */
    public static final String BY_OPERATOR = "gpfo pause";

    private static final String BY = "by: ";

    private PauseFile() {
    }

    /** A pause: until when ({@link Instant#MAX}: indefinitely) and by what. */
    public record Pause(Instant until, String by) {
        public boolean activeAt(Instant now) {
            return until.isAfter(now);
        }

        /** "until 2026-11-30T12:00:00Z" or "" for indefinitely. */
        public String untilText() {
            return until.equals(Instant.MAX) ? "" : " until " + until;
        }
    }

    /** Empty when not paused. */
    public static Optional<Pause> read(Path stateDirectory) {
        try {
            return parse(Files.readString(stateDirectory.resolve(FILE_NAME), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // unreadable: err on the safe side, the operator meant to pause
            return Optional.of(new Pause(Instant.MAX, BY_OPERATOR));
        }
    }

    public static Optional<Pause> parse(String text) {
        List<String> lines = text.strip().lines().toList();
        String value = lines.isEmpty() ? "" : lines.get(0).strip();
        String by = lines.stream().skip(1).filter(line -> line.startsWith(BY)).map(line -> line.substring(BY.length()).strip())
                .filter(reason -> !reason.isEmpty()).findFirst().orElse(BY_OPERATOR);
        if (value.isEmpty() || value.equals(INDEFINITELY)) {
            return Optional.of(new Pause(Instant.MAX, by));
        }
        try {
            return Optional.of(new Pause(Instant.parse(value), by));
        } catch (RuntimeException e) {
            return Optional.of(new Pause(Instant.MAX, by));
        }
    }

    public static String content(Optional<Instant> until, String by) {
        return until.map(Instant::toString).orElse(INDEFINITELY) + "\n" + BY + by + "\n";
    }

    /** Whether 'gpfo resume' left its marker (the decision says what it means). */
    public static boolean resumeRequested(Path stateDirectory) {
        return Files.exists(stateDirectory.resolve(RESUME_FILE_NAME));
    }

    /** The agent consumed the marker: the round that saw it has been decided and saved. */
    public static void clearResumeRequest(Path stateDirectory) throws IOException {
        Files.deleteIfExists(stateDirectory.resolve(RESUME_FILE_NAME));
    }
}
