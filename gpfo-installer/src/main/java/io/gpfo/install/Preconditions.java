package io.gpfo.install;

import io.gpfo.port.StepLog;
import java.util.ArrayList;
import java.util.List;

/**
 * Precondition lines: each OK or FAILED with the fix; all are checked (not just up to the first
 * failure) and an unsafe one outweighs any other.
 */
public final class Preconditions {

    private final StepLog log;
    private final List<String> failed = new ArrayList<>();
    private InstallStopped.Reason reason = InstallStopped.Reason.PRECONDITIONS_NOT_MET;

    Preconditions(StepLog log) {
        this.log = log;
    }

    /**
     * install and uninstall change system files on both hosts: they need root here (and sudo on
     * the peer). Not being root is found before anything else is looked at.
     */
    public static void requireRoot(boolean root, String currentUser, StepLog log, String command) throws InstallStopped {
        if (!root) {
            log.failed("running as root", "running as " + currentUser);
            throw new InstallStopped(InstallStopped.Reason.NOT_ROOT, "gpfo " + command + " changes system files on both"
                    + " coordinator hosts; run it as root: sudo gpfo " + command + "; nothing was changed");
        }
        log.ok("running as root");
    }

    void ok(String what) {
        log.ok(what);
    }

    void fail(String what, String why, String fix) {
        log.failed(what, why + " — " + fix);
        failed.add(what);
    }

    /** A failure that makes going on unsafe, not just impossible. */
    void refuse(String what, String why, String fix) {
        fail(what, why, fix);
        reason = InstallStopped.Reason.UNSAFE;
    }

    /** Ends the flow (nothing changed) when a precondition failed. */
    void finish(String command) throws InstallStopped {
        if (!failed.isEmpty()) {
            throw new InstallStopped(reason, failed.size() + " precondition(s) of " + command + " not met ("
                    + String.join(", ", failed) + "); nothing was changed");
        }
    }
}
