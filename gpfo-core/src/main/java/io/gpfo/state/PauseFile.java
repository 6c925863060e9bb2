package io.gpfo.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Maintenance mode: {@code <state.directory>/paused}, holding "indefinitely" or the instant the
 * pause ends. A file of its own, not part of the journal, because {@code gpfo pause} writes it
 * (locally and on the peer over SSH) while the agent owns the journal.
 */
public final class PauseFile {

    public static final String FILE_NAME = "paused";
    /** Left by 'gpfo resume' for the agent: forgive a failed promotion and watch again. */
    public static final String RESUME_FILE_NAME = "resume-requested";
    public static final String INDEFINITELY = "indefinitely";

    private PauseFile() {
    }

    /** Empty when not paused; the end of the pause otherwise ({@link Instant#MAX} for indefinitely). */
    public static Optional<Instant> read(Path stateDirectory) {
        try {
            return parse(Files.readString(stateDirectory.resolve(FILE_NAME), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // unreadable: err on the safe side, the operator meant to pause
            return Optional.of(Instant.MAX);
        }
    }

    /** Whether 'gpfo resume' left its marker (the decision says what it means). */
    public static boolean resumeRequested(Path stateDirectory) {
        return Files.exists(stateDirectory.resolve(RESUME_FILE_NAME));
    }

    /** The agent consumed the marker: the round that saw it has been decided and saved. */
    public static void clearResumeRequest(Path stateDirectory) throws IOException {
        Files.deleteIfExists(stateDirectory.resolve(RESUME_FILE_NAME));
    }

    public static Optional<Instant> parse(String text) {
        String value = text.strip();
        if (value.isEmpty() || value.equals(INDEFINITELY)) {
            return Optional.of(Instant.MAX);
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (RuntimeException e) {
            return Optional.of(Instant.MAX);
        }
    }

    public static String content(Optional<Instant> until) {
        return until.map(Instant::toString).orElse(INDEFINITELY) + "\n";
    }
}
