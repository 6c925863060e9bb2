package io.gpfo.install;

import io.gpfo.port.CommandResult;
import io.gpfo.ssh.RemoteSession;
import io.gpfo.ssh.SshException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer, over one SSH connection as ssh.user: every command runs through {@code sudo -n}
 * (never a password prompt, never a root login); files are uploaded over SFTP into a private
 * directory of the SSH user ({@code mktemp -d}, 0700) and installed from there by root.
 */
public final class SshTarget extends ShellTarget {

    private static final Duration STAGING_TIMEOUT = Duration.ofSeconds(30);

    private final RemoteSession session;
    private String staging;

    public SshTarget(RemoteSession session) {
        this.session = session;
    }

    @Override
    public String host() {
        return session.host();
    }

    @Override
    CommandResult execute(List<String> argv, Duration timeout) throws TargetException {
        List<String> privileged = new ArrayList<>(List.of("sudo", "-n"));
        privileged.addAll(argv);
        try {
            return session.run(privileged, timeout);
        } catch (SshException e) {
            throw new TargetException(e.getMessage(), e);
        }
    }

    /** Runs a command as the SSH user itself, without sudo. */
    public CommandResult runUnprivileged(List<String> argv, Duration timeout) throws TargetException {
        try {
            return session.run(argv, timeout);
        } catch (SshException e) {
            throw new TargetException(e.getMessage(), e);
        }
    }

    @Override
    String stage(String name, byte[] content) throws TargetException {
        String path = staging() + "/" + name;
        try {
            session.upload(content, path, 0600);
        } catch (SshException e) {
            throw new TargetException(e.getMessage(), e);
        }
        return path;
    }

    @Override
    String stage(String name, Path file) throws TargetException {
        String path = staging() + "/" + name;
        try {
            session.upload(file, path, 0600);
        } catch (SshException e) {
            throw new TargetException(e.getMessage(), e);
        }
        return path;
    }

    private String staging() throws TargetException {
        if (staging == null) {
            CommandResult made = runUnprivileged(List.of("mktemp", "-d", "/tmp/gpfo-install.XXXXXXXX"), STAGING_TIMEOUT);
            String path = made.stdout().strip();
            if (!made.ok() || !path.startsWith("/tmp/gpfo-install.") || path.contains("\n")) {
                throw new TargetException("cannot make a staging directory in /tmp on " + host() + ": " + made.failureSummary());
            }
            staging = path;
        }
        return staging;
    }

    @Override
    public void close() {
        if (staging == null) {
            return;
        }
        try {
            session.run(List.of("rm", "-rf", "--", staging), STAGING_TIMEOUT);
        } catch (SshException ignored) {
            // a leftover in /tmp is harmless; the connection is gone anyway
        }
        staging = null;
    }
}
