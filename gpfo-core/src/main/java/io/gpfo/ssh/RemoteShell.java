package io.gpfo.ssh;

import io.gpfo.port.CommandResult;
import java.time.Duration;
import java.util.List;

/**
 * Runs a program on another host over SSH. The argv is quoted once, here at the boundary
 * ({@link ShellQuoting}), so no caller ever builds a shell string by hand.
 */
public interface RemoteShell {

    /**
     * @return the remote program's result (a non-zero or missing exit status is a failure)
     * @throws SshException when no command could be run at all: host unreachable, host key
     *                      unknown or changed, authentication refused
     */
    CommandResult run(String host, List<String> argv, Duration timeout) throws SshException;

    /**
     * Opens one connection to {@code host} for several commands and file uploads. This default
     * runs each command through {@link #run} and cannot transfer files; {@link SshjRemoteShell}
     * keeps one connection and uploads over SFTP.
     */
    default RemoteSession open(String host) throws SshException {
        RemoteShell shell = this;
        return new RemoteSession() {
            @Override
            public String host() {
                return host;
            }

            @Override
            public CommandResult run(List<String> argv, Duration timeout) throws SshException {
                return shell.run(host, argv, timeout);
            }

            @Override
            public void upload(java.nio.file.Path local, String remotePath, int mode) throws SshException {
                throw new UnsupportedOperationException("this remote shell cannot transfer files");
            }

            @Override
            public void upload(byte[] content, String remotePath, int mode) throws SshException {
                throw new UnsupportedOperationException("this remote shell cannot transfer files");
            }

            @Override
            public void close() {
                // nothing held open
            }
        };
    }
}
