package io.gpfo.cli;

import io.gpfo.install.InstallStopped;

/** Ends a command with a one-line message for the operator and an exit status from {@link ExitCode}. */
public class GpfoException extends RuntimeException {

    private final int exitCode;

    public GpfoException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Install or uninstall stopped: its message, with the exit status of its reason. */
    static GpfoException of(InstallStopped stopped) {
        return new GpfoException(ExitCode.of(stopped.reason()), stopped.getMessage());
    }

    public int exitCode() {
        return exitCode;
    }
}
