package io.gpfo.pause;

import io.gpfo.node.NodeAccess;
import io.gpfo.port.CommandResult;
import io.gpfo.port.StepLog;
import io.gpfo.ssh.SshException;
import io.gpfo.state.PauseFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pauses and resumes the agents on both hosts: the pause file in each state directory, written here
 * and on the peer over SSH (as the admin user). Used by 'gpfo pause' and 'gpfo resume', and by a
 * rejoin or switchover that must keep both agents from acting while it runs.
 */
public final class PauseControl {

    /** Writes a file atomically in the state directory of the peer (runs there as the admin user). */
    static final String WRITE = "umask 022 && printf '%s' \"$2\" > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"";
    /** Removes the pause and leaves the resume marker, in the state directory given as $1. */
    static final String RESUME = "rm -f \"$1/" + PauseFile.FILE_NAME + "\" && umask 022 && : > \"$1/"
            + PauseFile.RESUME_FILE_NAME + "\"";
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(10);

    private final NodeAccess access;
    private final StepLog log;
    private final Path directory;

    public PauseControl(NodeAccess access, StepLog log) {
        this.access = access;
        this.log = log;
        this.directory = access.config().state().directory();
    }

    /** This host's pause file, if any, also one whose time ran out. */
    public Optional<PauseFile.Pause> current() {
        return PauseFile.read(directory);
    }

    /** This host's pause while it lasts: the agents ignore one whose time ran out, so it pauses nothing. */
    public Optional<PauseFile.Pause> active(Instant now) {
        return current().filter(pause -> pause.activeAt(now));
    }

    /** Work done while the agents are held; may fail with I/O. */
    @FunctionalInterface
    public interface Held<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} with both agents paused by {@code by} (for at most {@code bound}), unless a pause
     * holds them already, which is kept; the pause taken here is lifted afterwards, also after a failure.
     * Empty, and nothing run, when the agents could not both be paused: an agent left acting could
     * fence or promote in the middle of the work.
     */
    public <T> Optional<T> whilePaused(String by, Instant now, java.time.Duration bound, Held<T> work) throws IOException {
        Optional<PauseFile.Pause> before = active(now);
        if (before.isPresent()) {
            log.note("the agents were paused before (" + before.get().by() + "): they stay paused afterwards; 'gpfo resume'"
                    + " when ready");
            return Optional.of(work.run());
        }
        if (!pause(Optional.of(now.plus(bound)), by)) {
            log.failed("pause both agents", "not started, so that no agent acts in the middle of it; nothing else was"
                    + " changed");
            resume();
            return Optional.empty();
        }
        try {
            return Optional.of(work.run());
        } finally {
            if (current().map(pause -> pause.by().equals(by)).orElse(false)) {
                resume();
            }
        }
    }

    /** Pauses both agents until {@code until} (empty: until 'gpfo resume'); true when both are paused. */
    public boolean pause(Optional<Instant> until, String by) throws IOException {
        Path file = directory.resolve(PauseFile.FILE_NAME);
        String content = PauseFile.content(until, by);
        Files.createDirectories(directory);
        Files.writeString(file, content);
        String when = until.map(at -> "until " + at).orElse("until 'gpfo resume'");
        log.ok("paused on " + access.host(access.local()) + " " + when + (by.equals(PauseFile.BY_OPERATOR) ? "" : " (" + by + ")"));
        return onPeer(List.of("sh", "-c", WRITE, "pause", file.toString(), content), "paused", " " + when);
    }

    /** Lifts the pause on both hosts and leaves the resume marker (which also clears a failed promotion). */
    public boolean resume() throws IOException {
        Files.deleteIfExists(directory.resolve(PauseFile.FILE_NAME));
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(PauseFile.RESUME_FILE_NAME), "");
        log.ok("resumed on " + access.host(access.local()));
        return onPeer(List.of("sh", "-c", RESUME, "resume", directory.toString()), "resumed", "");
    }

    private boolean onPeer(List<String> argv, String what, String when) {
        String peer = access.host(access.local().peer());
        String why;
        try {
            CommandResult result = access.remote().run(peer, argv, PEER_TIMEOUT);
            if (result.ok()) {
                log.ok(what + " on " + peer + when);
                return true;
            }
            why = result.failureSummary();
        } catch (SshException e) {
            why = e.getMessage();
        }
        log.failed(what + " on " + peer, why);
        log.note("only this host is " + what + "; run the same command on " + peer + " when it is reachable");
        return false;
    }
}
