package io.gpfo.ssh;

import io.gpfo.port.CommandResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One open connection to one host for a series of commands and file uploads, as the installer
 * needs: one connection (and one host-key check) instead of one per command. Commands are argv,
 * quoted once at the boundary ({@link ShellQuoting}); files go over SFTP.
 */
public interface RemoteSession extends AutoCloseable {

    String host();

    /** Like {@link RemoteShell#run}, on this session's connection. */
    CommandResult run(List<String> argv, Duration timeout) throws SshException;

    /**
     * Copies a local file to {@code remotePath}: written to a temporary name next to it (mode
     * 0600, created exclusively), then given {@code mode}, then renamed into place, so the path
     * never holds a partial file.
     */
    void upload(Path local, String remotePath, int mode) throws SshException;

    /** {@link #upload(Path, String, int)} for content in memory. */
    void upload(byte[] content, String remotePath, int mode) throws SshException;

    @Override
    void close();
}
