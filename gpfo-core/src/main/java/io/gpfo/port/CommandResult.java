package io.gpfo.port;

import java.time.Duration;

/**
 * The outcome of one command. {@code exitCode} is -1 when the program could not be started or
 * was killed at its timeout; {@code timedOut} tells the two apart.
 */
public record CommandResult(int exitCode, String stdout, String stderr, boolean timedOut, Duration elapsed) {

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** One line saying why the command failed, for messages. */
    public String failureSummary() {
        if (timedOut) {
            return "timed out after " + elapsed.toMillis() + " ms";
        }
        String detail = firstLine(stderr.isBlank() ? stdout : stderr);
        return "exit " + exitCode + (detail.isEmpty() ? "" : ": " + detail);
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }
}
