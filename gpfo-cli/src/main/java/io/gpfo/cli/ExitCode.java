package io.gpfo.cli;

import io.gpfo.install.InstallStopped;

/** gpfo's exit statuses (docs/design.md §10); scripts and monitoring depend on them. */
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

    // The statuses as --help and the man pages list them (picocli's exitCodeList: "STATUS:meaning").
    static final String LIST_HEADING = "%nExit status:%n";
    static final String OK_ENTRY = OK + ":ok";
    static final String FAILED_ENTRY = FAILED + ":operation failed";
    static final String USAGE_ENTRY = USAGE + ":usage or configuration error";
    static final String REFUSED_ENTRY = REFUSED + ":refused for safety";
    static final String UNHEALTHY_ENTRY = UNHEALTHY + ":unhealthy state reported";
    static final String INTERRUPTED_ENTRY = INTERRUPTED + ":interrupted";

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
