package io.gpfo.cli;

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

    private ExitCode() {
    }
}
