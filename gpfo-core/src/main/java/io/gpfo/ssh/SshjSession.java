package io.gpfo.ssh;

import io.gpfo.port.CommandResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RenameFlags;
import net.schmizz.sshj.sftp.SFTPClient;

/**
 * A {@link RemoteSession} on one authenticated sshj connection (opened by
 * {@link SshjRemoteShell#open}): commands each get their own channel, uploads share one SFTP
 * channel opened on first use.
 */
final class SshjSession implements RemoteSession {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SSHClient client;
    private final String host;
    /** user@host:port, for messages. */
    private final String target;
    private SFTPClient sftp;

    SshjSession(SSHClient client, String host, String target) {
        this.client = client;
        this.host = host;
        this.target = target;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) throws SshException {
        long started = System.nanoTime();
        String commandLine = ShellQuoting.join(argv);
        try (Session session = client.startSession()) {
            return SshStreams.exec(session, commandLine, host, timeout, started);
        } catch (IOException e) {
            throw new SshException(SshException.Kind.UNREACHABLE, host, "ssh " + target + " failed: " + SshStreams.message(e), e);
        }
    }

    @Override
    public void upload(Path local, String remotePath, int mode) throws SshException {
        try (InputStream in = Files.newInputStream(local)) {
            upload(in, remotePath, mode);
        } catch (IOException e) {
            throw new SshException(SshException.Kind.UNREACHABLE, host, "cannot read " + local + " to upload it: "
                    + SshStreams.message(e), e);
        }
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) throws SshException {
        upload(new ByteArrayInputStream(content), remotePath, mode);
    }

    private void upload(InputStream in, String remotePath, int mode) throws SshException {
        int slash = remotePath.lastIndexOf('/');
        if (slash < 0 || slash == remotePath.length() - 1) {
            throw new IllegalArgumentException("not an absolute file path: " + remotePath);
        }
        String temporary = remotePath.substring(0, slash + 1) + "." + remotePath.substring(slash + 1) + ".gpfo-upload-"
                + HexFormat.of().formatHex(randomBytes());
        try {
            SFTPClient files = sftp();
            FileAttributes privateFile = new FileAttributes.Builder().withPermissions(0600).build();
            try (RemoteFile file = files.open(temporary, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL), privateFile);
                    OutputStream out = file.new RemoteFileOutputStream(0, 16)) {
                in.transferTo(out);
            }
            files.chmod(temporary, mode);
            rename(files, temporary, remotePath);
        } catch (IOException e) {
            removeQuietly(temporary);
            throw new SshException(SshException.Kind.UNREACHABLE, host, "uploading " + remotePath + " to " + target
                    + " failed: " + SshStreams.message(e), e);
        }
    }

    /** Atomic replace where the server has posix-rename (OpenSSH); else remove the old file first. */
    private static void rename(SFTPClient files, String from, String to) throws IOException {
        try {
            files.rename(from, to, EnumSet.of(RenameFlags.OVERWRITE, RenameFlags.NATIVE));
        } catch (IOException e) {
            if (files.statExistence(to) == null) {
                throw e;
            }
            files.rm(to);
            files.rename(from, to);
        }
    }

    private SFTPClient sftp() throws IOException {
        if (sftp == null) {
            sftp = client.newSFTPClient();
        }
        return sftp;
    }

    private void removeQuietly(String path) {
        try {
            if (sftp != null) {
                sftp.rm(path);
            }
        } catch (IOException ignored) {
            // it was never created, or the connection is gone: nothing more to do
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() {
        try {
            if (sftp != null) {
                sftp.close();
            }
        } catch (IOException ignored) {
            // closing the connection below ends the channel anyway
        }
        try {
            client.close();
        } catch (IOException ignored) {
            // nothing to do about a failed close
        }
    }

}
