package io.gpfo.ssh;

import io.gpfo.port.CommandResult;
import io.gpfo.port.Scripts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * channel opened on first use. A server without the SFTP subsystem (some hardened sites remove
 * it) gets the files through a command's standard input instead, checked by size and SHA-256
 * before they are renamed into place ({@code stream-upload.sh}), as Ansible's "smart" transfer does.
 */
final class SshjSession implements RemoteSession {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String STREAM_UPLOAD = Scripts.load(SshjSession.class, "stream-upload.sh");
    /** A command's input is written as the server takes it: long enough for a distribution tarball on a slow link. */
    private static final Duration STREAM_UPLOAD_TIMEOUT = Duration.ofMinutes(10);

    private final SSHClient client;
    private final String host;
    /** user@host:port, for messages. */
    private final String target;
    private SFTPClient sftp;
    /** Why the server's SFTP subsystem could not be opened; uploads then go through {@link #STREAM_UPLOAD}. */
    private String sftpRefused;

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
        requireFilePath(remotePath);
        try {
            if (sftpAvailable()) {
                try (InputStream in = Files.newInputStream(local)) {
                    sftpUpload(in, remotePath, mode);
                }
            } else {
                Digest digest;
                try (InputStream in = Files.newInputStream(local)) {
                    digest = Digest.of(in);
                }
                try (InputStream in = Files.newInputStream(local)) {
                    streamUpload(in, digest, remotePath, mode);
                }
            }
        } catch (IOException e) {
            throw new SshException(SshException.Kind.UNREACHABLE, host, "cannot read " + local + " to upload it: "
                    + SshStreams.message(e), e);
        }
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) throws SshException {
        requireFilePath(remotePath);
        try {
            if (sftpAvailable()) {
                sftpUpload(new ByteArrayInputStream(content), remotePath, mode);
            } else {
                streamUpload(new ByteArrayInputStream(content), Digest.of(new ByteArrayInputStream(content)), remotePath, mode);
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading memory failed", e);
        }
    }

    private static void requireFilePath(String remotePath) {
        int slash = remotePath.lastIndexOf('/');
        if (slash < 0 || slash == remotePath.length() - 1) {
            throw new IllegalArgumentException("not an absolute file path: " + remotePath);
        }
    }

    /**
     * Whether uploads can use SFTP: its subsystem is opened on first use. A server that refuses it
     * while the connection stays up has none (or no sftp-server program); a broken connection is
     * not that, and fails here as such.
     */
    private boolean sftpAvailable() throws SshException {
        if (sftp != null) {
            return true;
        }
        if (sftpRefused != null) {
            return false;
        }
        try {
            sftp = client.newSFTPClient();
            return true;
        } catch (IOException e) {
            if (!client.isConnected()) {
                throw new SshException(SshException.Kind.UNREACHABLE, host, "ssh " + target + " failed: "
                        + SshStreams.message(e), e);
            }
            sftpRefused = SshStreams.message(e);
            return false;
        }
    }

    /** Size and SHA-256 of what is sent, for {@link #STREAM_UPLOAD} to check the copy against. */
    record Digest(long size, String sha256) {
        static Digest of(InputStream in) throws IOException {
            MessageDigest sha256;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                sha256.update(buffer, 0, read);
                size += read;
            }
            return new Digest(size, HexFormat.of().formatHex(sha256.digest()));
        }
    }

    /** The command that receives an upload on its standard input. */
    static List<String> streamUploadCommand(String remotePath, Digest digest, int mode) {
        return List.of("sh", "-c", STREAM_UPLOAD, "stream-upload", remotePath, Long.toString(digest.size()), digest.sha256(),
                Integer.toOctalString(mode));
    }

    private void streamUpload(InputStream in, Digest digest, String remotePath, int mode) throws SshException {
        long started = System.nanoTime();
        CommandResult result;
        try (Session session = client.startSession()) {
            result = SshStreams.exec(session, ShellQuoting.join(streamUploadCommand(remotePath, digest, mode)), host,
                    STREAM_UPLOAD_TIMEOUT, started, in);
        } catch (IOException e) {
            throw new SshException(SshException.Kind.UNREACHABLE, host, "uploading " + remotePath + " to " + target
                    + " without SFTP failed: " + SshStreams.message(e), e);
        }
        if (!result.ok()) {
            throw new SshException(SshException.Kind.UNREACHABLE, host, "uploading " + remotePath + " to " + target
                    + " without SFTP (the server refused its SFTP subsystem: " + sftpRefused + ") failed: "
                    + result.failureSummary(), null);
        }
    }

    private void sftpUpload(InputStream in, String remotePath, int mode) throws SshException {
        int slash = remotePath.lastIndexOf('/');
        String temporary = remotePath.substring(0, slash + 1) + "." + remotePath.substring(slash + 1) + ".gpfo-upload-"
                + HexFormat.of().formatHex(randomBytes());
        try {
            SFTPClient files = sftp;
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
