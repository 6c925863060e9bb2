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
}
