package io.gpfo.cli;

import io.gpfo.install.InstallStopped;

/** gpfo's exit statuses (design.md §10); scripts and monitoring depend on them. */
public final class ExitCode {
    public static final int OK = 0;
    /** The operation was tried and failed. */
    public static final int FAILED = 1;
    /** Bad usage or configuration: nothing was tried. */
    public static final int USAGE = 2;
    /** Refused for safety: doing it could cause two coordinators or lose data. */
    public static final int REFUSED = 3;
    /** The command ran and reports an unhealthy state. */
    public static final int UNHEALTHY = 4;
    public static final int INTERRUPTED = 130;

    /** Why install or uninstall stopped, as the exit status scripts see. */
    static int of(InstallStopped.Reason reason) {
        return switch (reason) {
            case NOT_ROOT, NOT_THE_COORDINATOR -> USAGE;
            case PRECONDITIONS_NOT_MET, STEP_FAILED -> FAILED;
            case UNSAFE -> REFUSED;
        };
    }

    private ExitCode() {
    }
}
