package io.gpfo.install;

/**
 * Install or uninstall ended before it was done; the message says what was (not) changed and
 * what to do next.
 */
public final class InstallStopped extends Exception {

    /** Why it stopped: the caller turns each into its exit status. */
    public enum Reason {
        /** Not run as root: nothing was looked at. */
        NOT_ROOT,
        /** install was run on the standby host. */
        NOT_THE_COORDINATOR,
        /** A precondition failed; nothing was changed. */
        PRECONDITIONS_NOT_MET,
        /**
         * Going on could be unsafe (the peer's host key is not verified, or the distribution is not
         * root's alone); nothing was changed.
         */
        UNSAFE,
        /** A step failed: the steps before it were done, nothing after it was tried. */
        STEP_FAILED
    }

    private final Reason reason;

    public InstallStopped(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
