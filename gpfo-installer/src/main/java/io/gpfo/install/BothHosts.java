package io.gpfo.install;

import io.gpfo.config.GpfoConfig;
import io.gpfo.port.CommandResult;
import io.gpfo.ssh.RemoteSession;
import io.gpfo.ssh.SshException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * This host and the peer as install and uninstall change them: this host directly, the peer
 * over an SSH connection that is checked first — host key verified (else unsafe, before anything
 * is touched), then {@code sudo -n true}. The peer's target is empty when either failed.
 */
final class BothHosts implements AutoCloseable {

    static final Duration SUDO_TIMEOUT = Duration.ofSeconds(15);

    private final LocalTarget local;
    private final RemoteSession session;
    private final SshTarget peer;

    private BothHosts(LocalTarget local, RemoteSession session, SshTarget peer) {
        this.local = local;
        this.session = session;
        this.peer = peer;
    }

    LocalTarget local() {
        return local;
    }

    Optional<SshTarget> peer() {
        return Optional.ofNullable(peer);
    }

    static BothHosts open(InstallPorts ports, Preconditions checks, String command) {
        LocalTarget local = new LocalTarget(ports.here(), ports.access().runner());
        GpfoConfig config = ports.config();
        String peer = ports.peer();
        String user = config.ssh().user();
        RemoteSession session;
        try {
            session = ports.access().remote().open(peer);
        } catch (SshException e) {
            if (e.kind() == SshException.Kind.HOST_KEY) {
                checks.refuse("ssh " + user + "@" + peer, e.getMessage(), "gpfo " + command + " refuses to touch a host whose"
                        + " key is not verified");
            } else {
                checks.fail("ssh " + user + "@" + peer, e.getMessage(), "make " + peer + " reachable over SSH (gpfo check"
                        + " shows the details)");
            }
            return new BothHosts(local, null, null);
        }
        checks.ok("ssh " + user + "@" + peer + " (host key verified against " + config.ssh().knownHosts() + ")");
        try {
            CommandResult sudo = session.run(List.of("sudo", "-n", "true"), SUDO_TIMEOUT);
            if (!sudo.ok()) {
                checks.fail("sudo -n on " + peer, user + " cannot run commands as root there without a password ("
                        + sudo.failureSummary() + ")", "give " + user + " passwordless sudo on " + peer + " for the"
                        + " install (e.g. /etc/sudoers.d/" + user + ": '" + user + " ALL=(root) NOPASSWD: ALL'); gpfo"
                        + " itself needs only the rule it installs");
                session.close();
                return new BothHosts(local, null, null);
            }
        } catch (SshException e) {
            checks.fail("sudo -n on " + peer, e.getMessage(), "check the connection to " + peer);
            session.close();
            return new BothHosts(local, null, null);
        }
        checks.ok("sudo -n on " + peer + " as " + user);
        return new BothHosts(local, session, new SshTarget(session));
    }

    /** What both hosts' plans did, the peer's first. */
    record StepCounts(int changed, int unchanged) {
    }

    /**
     * Carries out the peer's plan, then this host's.
     *
     * @param retry what the operator can do after a failed step
     */
    StepCounts apply(Installer installer, HostPlan peerPlan, HostPlan localPlan, String command, String retry)
            throws InstallStopped {
        try {
            Installer.HostOutcome onPeer = installer.apply(peerPlan, peer().orElseThrow());
            Installer.HostOutcome here = installer.apply(localPlan, local);
            return new StepCounts(onPeer.changed() + here.changed(), onPeer.unchanged() + here.unchanged());
        } catch (InstallFailure failure) {
            throw new InstallStopped(InstallStopped.Reason.STEP_FAILED, stoppedMessage(command, failure, peerPlan.host())
                    + " " + retry);
        }
    }

    /** The operator's message after a failed step: where it stopped and what was done before. */
    static String stoppedMessage(String command, InstallFailure failure, String firstHost) {
        String before = failure.host().equals(firstHost) ? "" : "; " + firstHost + " was done before it";
        return command + " stopped at '" + failure.step().describe().replaceAll("\\s+", " ").strip() + "' on " + failure.host()
                + " (" + failure.done() + " step(s) before it done there, " + failure.changed() + " of them changed"
                + " something" + before + "); nothing after it was tried.";
    }

    @Override
    public void close() {
        if (peer != null) {
            peer.close();
        }
        if (session != null) {
            session.close();
        }
        local.close();
    }
}
