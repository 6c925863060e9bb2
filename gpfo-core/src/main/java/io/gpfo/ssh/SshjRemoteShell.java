package io.gpfo.ssh;

import io.gpfo.port.CommandResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

/**
 * {@link RemoteShell} on sshj: key authentication as one user, host keys always verified
 * against a known_hosts file (an unknown or changed key is refused with the command that fixes
 * it), explicit connect and read timeouts so a dead host costs seconds, not the TCP timeout.
 */
public final class SshjRemoteShell implements RemoteShell, AutoCloseable {

    static {
        // Registering BouncyCastle as a JCE provider cost about a second at the first connection
        // (gpfo status: 2.1 s instead of 0.9 s); the JDK covers RSA, Ed25519 (sshj's own code),
        // X25519 and ECDH, and EcdsaAlias gives sshj the one name it needs for ECDSA keys.
        SecurityUtils.setRegisterBouncyCastle(false);
        EcdsaAlias.install();
    }

    /** Loads and initialises sshj's algorithms ahead of the first connection (see Main's warm-up). */
    public static void loadLibrary() {
        new DefaultConfig();
    }



    private final String user;
    private final int port;
    private final Path identityFile;
    private final Path knownHosts;
    private final Duration connectTimeout;
    private final java.util.Map<String, SSHClient> clients = new java.util.HashMap<>();

    public SshjRemoteShell(String user, int port, Path identityFile, Path knownHosts, Duration connectTimeout) {
        this.user = user;
        this.port = port;
        this.identityFile = identityFile;
        this.knownHosts = knownHosts;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public CommandResult run(String host, List<String> argv, Duration timeout) throws SshException {
        long started = System.nanoTime();
        String commandLine = ShellQuoting.join(argv);
        SSHClient client = client(host);
        Session session;
        try {
            session = client.startSession();
        } catch (IOException stale) {
            // a kept connection that died since its last use: drop it and connect once more. The
            // command has not started, so trying again cannot run it twice.
            forget(host, client);
            client = client(host);
            try {
                session = client.startSession();
            } catch (IOException e) {
                forget(host, client);
                throw new SshException(SshException.Kind.UNREACHABLE, host,
                        "ssh " + user + "@" + host + ":" + port + " failed: " + SshStreams.message(e), e);
            }
        }
        try (Session active = session) {
            CommandResult result = SshStreams.exec(active, commandLine, host, timeout, started);
            if (result.exitCode() < 0) {
                // no exit status (the timeout, or the remote side died): drop the connection with the channel
                forget(host, client);
            }
            return result;
        } catch (IOException e) {
            forget(host, client);
            throw new SshException(SshException.Kind.UNREACHABLE, host,
                    "ssh " + user + "@" + host + ":" + port + " failed: " + SshStreams.message(e), e);
        }
    }

    /**
     * One authenticated connection per host, kept between commands: the agent asks the peer and
     * the witnesses every few seconds, and a key exchange each time would cost more CPU than all
     * its other probes together.
     */
    private SSHClient client(String host) throws SshException {
        synchronized (clients) {
            SSHClient kept = clients.get(host);
            if (kept != null && kept.isConnected() && kept.isAuthenticated()) {
                return kept;
            }
            if (kept != null) {
                closeQuietly(kept);
            }
        }
        SSHClient fresh = connect(host);
        synchronized (clients) {
            SSHClient raced = clients.putIfAbsent(host, fresh);
            if (raced != null && raced.isConnected()) {
                closeQuietly(fresh);
                return raced;
            }
            clients.put(host, fresh);
            return fresh;
        }
    }

    private void forget(String host, SSHClient client) {
        synchronized (clients) {
            clients.remove(host, client);
        }
        closeQuietly(client);
    }

    /** Closes every kept connection. */
    @Override
    public void close() {
        synchronized (clients) {
            clients.values().forEach(SshjRemoteShell::closeQuietly);
            clients.clear();
        }
    }

    /**
     * One verified, authenticated connection for several commands and SFTP uploads (the
     * installer). The host key is checked here, before the caller can do anything on the host.
     */
    @Override
    public RemoteSession open(String host) throws SshException {
        return new SshjSession(connect(host), host, user + "@" + host + ":" + port);
    }

    /** Connects and authenticates, or explains which of the two failed and how to fix it. */
    SSHClient connect(String host) throws SshException {
        SSHClient client = new SSHClient(new DefaultConfig());
        RecordingKnownHosts verifier;
        try {
            verifier = new RecordingKnownHosts(knownHosts.toFile());
        } catch (IOException e) {
            closeQuietly(client);
            throw new SshException(SshException.Kind.HOST_KEY, host, "cannot read known_hosts " + knownHosts + ": "
                    + SshStreams.message(e) + "; create it with: ssh-keyscan -t ed25519,ecdsa,rsa " + host + " >> " + knownHosts, e);
        }
        client.addHostKeyVerifier(verifier);
        client.setConnectTimeout((int) connectTimeout.toMillis());
        client.getConnection().getKeepAlive().setKeepAliveInterval(15);
        client.setTimeout((int) Math.max(connectTimeout.toMillis(), 5_000));
        try {
            client.connect(host, port);
        } catch (IOException e) {
            closeQuietly(client);
            if (verifier.problem != null) {
                throw new SshException(SshException.Kind.HOST_KEY, host, verifier.problem, e);
            }
            throw new SshException(SshException.Kind.UNREACHABLE, host,
                    "cannot connect to " + host + ":" + port + ": " + SshStreams.message(e), e);
        }
        try {
            KeyProvider keys = client.loadKeys(identityFile.toString());
            client.authPublickey(user, keys);
        } catch (UserAuthException e) {
            closeQuietly(client);
            throw new SshException(SshException.Kind.AUTHENTICATION, host, user + "@" + host
                    + " refused the key " + identityFile + "; add its .pub to ~" + user
                    + "/.ssh/authorized_keys on " + host + " (ssh-copy-id)", e);
        } catch (IOException e) {
            closeQuietly(client);
            throw new SshException(SshException.Kind.AUTHENTICATION, host, "cannot use the key " + identityFile + ": "
                    + SshStreams.message(e) + "; set ssh.identity_file to a readable private key without passphrase", e);
        }
        return client;
    }

    /** Verifies against known_hosts like OpenSSH, and remembers why a key was refused. */
    private final class RecordingKnownHosts extends OpenSSHKnownHosts {
        private String problem;

        RecordingKnownHosts(File file) throws IOException {
            super(file);
        }

        @Override
        protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
            problem = "the host key of " + hostname + " is not in " + knownHosts + "; refusing to connect. After checking"
                    + " the key is the host's, add it with: ssh-keyscan -p " + port + " -t ed25519,ecdsa,rsa " + hostname
                    + " >> " + knownHosts;
            return false;
        }

        @Override
        protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
            problem = "the host key of " + hostname + " has CHANGED since it was recorded in " + knownHosts
                    + " (a reinstalled host, or someone in the middle); refusing to connect. If the change is expected: "
                    + "ssh-keygen -R " + hostname + " -f " + knownHosts + " && ssh-keyscan -p " + port
                    + " -t ed25519,ecdsa,rsa " + hostname + " >> " + knownHosts;
            return false;
        }
    }

    private static void closeQuietly(SSHClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // nothing to do about a failed close of a connection we give up on
        }
    }
}
