package io.gpfo.cli;

/** Ends a command with a one-line message for the operator and an exit status from {@link ExitCode}. */
public class GpfoException extends RuntimeException {

    private final int exitCode;

    public GpfoException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
