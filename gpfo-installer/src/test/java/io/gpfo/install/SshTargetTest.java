package io.gpfo.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gpfo.config.ConfigLoader;
import io.gpfo.install.Step.Check;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.ProcessRunner;
import io.gpfo.ssh.RemoteSession;
import io.gpfo.ssh.SshException;
import io.gpfo.ssh.SshjRemoteShell;
import io.gpfo.testing.RecordingStepLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer side for real: an OpenSSH server on 127.0.0.1 (a random port, its own host key, key
 * login as root, internal SFTP), reached through sshj with a verified host key. Covers the SFTP
 * upload (temporary name, chmod, rename), commands through sudo -n, and a changed host key.
 * Skipped where there is no sshd or the tests do not run as root.
 */
class SshTargetTest {

    private static final ProcessRunner RUNNER = new ProcessRunner();

    @TempDir
    static Path keys;

    private static Process sshd;
    private static int port;

    @TempDir
    Path dir;

    private static CommandResult run(String... argv) {
        return RUNNER.run(new Command(List.of(argv), Map.of(), null, Duration.ofSeconds(30)));
    }

    @BeforeAll
    static void startSshd() throws Exception {
        assumeTrue(ConfigLoader.isRoot(), "logs in as root and runs sudo: run the tests as root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")), "no OpenSSH server (/usr/sbin/sshd)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sudo")), "no sudo");
        Files.createDirectories(Path.of("/run/sshd"));
        for (String key : List.of("host_key", "client_key")) {
            assertThat(run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve(key).toString()).ok()).isTrue();
        }
        Files.copy(keys.resolve("client_key.pub"), keys.resolve("authorized_keys"));
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(keys.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + Files.readString(keys.resolve("host_key.pub")));
        Files.writeString(keys.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + keys.resolve("host_key"),
                "AuthorizedKeysFile " + keys.resolve("authorized_keys"), "PermitRootLogin prohibit-password",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
                "PidFile " + keys.resolve("sshd.pid"), "Subsystem sftp internal-sftp", ""));
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", keys.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(keys.resolve("sshd.log").toFile()).start();
        // wait for sshd to accept connections, at most 20 s
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() - deadline < 0 && sshd.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("sshd did not start" + (sshd.isAlive() ? " within 20 s" : " (it exited)") + ": "
                + Files.readString(keys.resolve("sshd.log")));
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.destroy();
        }
    }

    private static SshjRemoteShell shell(Path knownHosts) {
        return new SshjRemoteShell("root", port, keys.resolve("client_key"), knownHosts, Duration.ofSeconds(3));
    }

    @Test
    void uploadsAreAtomicAndGetTheirMode() throws Exception {
        Path file = dir.resolve("uploaded");
        try (RemoteSession session = shell(keys.resolve("known_hosts")).open("127.0.0.1")) {
            session.upload("first\n".getBytes(StandardCharsets.UTF_8), file.toString(), 0640);
            assertThat(Files.readString(file)).isEqualTo("first\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");

            Path local = dir.resolve("local");
            Files.writeString(local, "second\n");
            session.upload(local, file.toString(), 0600);
            assertThat(Files.readString(file)).isEqualTo("second\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            try (var left = Files.list(dir)) {
                assertThat(left.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("uploaded", "local");
            }

            CommandResult echoed = session.run(List.of("printf", "%s|", "a b", "$HOME", "'"), Duration.ofSeconds(10));
            assertThat(echoed.stdout()).as("arguments arrive as data").isEqualTo("a b|$HOME|'|");
        }
    }

    @Test
    void aPlanOverSshThroughSudoIsIdempotentAndCleansItsStaging() throws Exception {
        Path distribution = dir.resolve("dist");
        Files.createDirectories(distribution.resolve("bin"));
        Files.writeString(distribution.resolve("bin/gpfo"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(distribution.resolve("bin/gpfo"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String opt = dir.resolve("opt").toString();
        HostPlan plan = new HostPlan("127.0.0.1", false, "over SSH", List.of(
                new Step.Directory(opt, Optional.of(Attributes.root(0755))),
                new Step.Tree(opt + "/0.1.0", distribution.toString()),
                new Step.File(opt + "/sudoers", "root ALL=(root) NOPASSWD: /usr/bin/true\n", Attributes.root(0440), Check.SUDOERS),
                new Step.Symlink(opt + "/current", opt + "/0.1.0")));
        RecordingStepLog log = new RecordingStepLog();
        String staging;
        try (RemoteSession session = shell(keys.resolve("known_hosts")).open("127.0.0.1");
                SshTarget target = new SshTarget(session);
                Distribution source = new Distribution(distribution, "0.1.0", RUNNER)) {
            assertThat(Facts.gather(target, "root").adminGroup()).contains("root");
            Installer installer = new Installer(log, Optional.of(source));

            assertThat(installer.apply(plan, target).changed()).isEqualTo(4);
            log.clear();
            assertThat(installer.apply(plan, target).changed()).isZero();
            assertThat(log.lines()).allMatch(line -> line.startsWith("OK      unchanged "));
            staging = target.stage("probe", new byte[] {1});
        }
        assertThat(Files.readString(Path.of(opt, "current", "bin", "gpfo"))).isEqualTo("#!/bin/sh\n");
        assertThat(Path.of(staging).getParent()).as("staging removed on close").doesNotExist();
    }

    @Test
    void anAgentStartedThroughSshAndSudoOutlivesTheSession() throws Exception {
        Path gpfo = dir.resolve("gpfo");
        Files.writeString(gpfo, "#!/bin/sh\ntrap 'exit 0' TERM\nwhile :; do sleep 1; done\n");
        Files.setPosixFilePermissions(gpfo, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path init = dir.resolve("gpfo.init");
        Path pidFile = dir.resolve("run/gpfo.pid");
        Files.writeString(init, ServiceFiles.render("gpfo.init.in", Map.of("GPFO", gpfo.toString(), "SELF", init.toString(),
                "PIDFILE", pidFile.toString(), "FALLBACK_LOG", dir.resolve("gpfo.log").toString(), "STOP_TIMEOUT", "5")));
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
        long pid;
        try (RemoteSession session = shell(keys.resolve("known_hosts")).open("127.0.0.1");
                SshTarget target = new SshTarget(session)) {
            // an agent holding a descriptor of the session would keep the command open until this timeout
            CommandResult started = target.run(List.of(init.toString(), "start"), Duration.ofSeconds(20));
            assertThat(started.timedOut()).as("the agent holds no descriptor of the session").isFalse();
            assertThat(started.exitCode()).as(started.stdout() + started.stderr()).isZero();
            pid = Long.parseLong(Files.readString(pidFile).strip());
        }
        try {
            // wait for the session to be over on the server side (sshd's session process, sudo, the shell),
            // not for a guessed time: then the agent must still run
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<ProcessHandle> sessionLeft = sessionProcesses(pid);
            while (!sessionLeft.isEmpty() && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
                sessionLeft = sessionProcesses(pid);
            }
            assertThat(sessionLeft).as("sshd's session processes ended within 20 s").isEmpty();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("alive after sudo and ssh ended").contains(true);
            try (RemoteSession session = shell(keys.resolve("known_hosts")).open("127.0.0.1");
                    SshTarget target = new SshTarget(session)) {
                assertThat(target.run(List.of(init.toString(), "status"), Duration.ofSeconds(10)).exitCode()).isZero();
                assertThat(target.run(List.of(init.toString(), "stop"), Duration.ofSeconds(30)).exitCode()).isZero();
            }
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** What still runs under the test's sshd apart from the agent: the sessions' processes. */
    private static List<ProcessHandle> sessionProcesses(long agent) {
        return sshd.descendants().filter(ProcessHandle::isAlive).filter(process -> process.pid() != agent).toList();
    }

    @Test
    void aChangedHostKeyIsRefusedBeforeAnythingRuns() throws Exception {
        Path other = dir.resolve("other_key");
        assertThat(run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).ok()).isTrue();
        Path forged = dir.resolve("known_hosts");
        Files.writeString(forged, "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("other_key.pub")));

        assertThatThrownBy(() -> shell(forged).open("127.0.0.1")).isInstanceOfSatisfying(SshException.class, e -> {
            assertThat(e.kind()).isEqualTo(SshException.Kind.HOST_KEY);
            assertThat(e.getMessage()).contains("has CHANGED").contains("ssh-keyscan");
        });
    }
}
