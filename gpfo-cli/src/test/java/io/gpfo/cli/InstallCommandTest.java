package io.gpfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.config.ConfigLoader;
import io.gpfo.port.Clock;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.Executables;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.RemoteSession;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.ssh.SshException;
import io.gpfo.vip.InterfaceAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpfo install and uninstall on the command line: options, what goes to stdout and stderr, and
 * the exit status of each way they stop (the flows themselves are tested in gpfo-installer).
 * Nothing here may run a command that changes a host.
 */
class InstallCommandTest {

    private static final String FACTS = """
            systemd=no
            tool.ip=/usr/sbin/ip
            tool.arping=/usr/bin/arping
            tool.ping=/usr/bin/ping
            tool.logger=/usr/bin/logger
            tool.wall=/usr/bin/wall
            tool.visudo=/usr/sbin/visudo
            tool.tar=/usr/bin/tar
            tool.sha256sum=/usr/bin/sha256sum
            tool.install=/usr/bin/install
            tool.setsid=/usr/bin/setsid
            tool.runuser=/usr/sbin/runuser
            tool.update-rc.d=/usr/sbin/update-rc.d
            tool.java=/usr/bin/java
            java.version=openjdk version "17.0.15" 2025-04-15
            user.group=gpadmin
            """;

    @TempDir
    Path dir;

    private Path config;
    private Path home;
    private final List<String> localCommands = new ArrayList<>();
    private final List<String> remoteCommands = new ArrayList<>();
    private String localAddress = "10.77.0.11";
    private String remoteFacts = FACTS;
    private CommandResult sudo = ok("");
    private SshException sshFailure;
    private DatabaseStatus database = new DatabaseStatus(false, 150018, OptionalInt.of(1),
            List.of(new DatabaseStatus.Sender("smdw", "streaming", "async", 0)), Optional.empty());
    private boolean root = true;
    private String out;
    private String err;

    private static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "", false, Duration.ZERO);
    }

    @BeforeEach
    void files() throws IOException {
        config = dir.resolve("gpfo.yaml");
        Files.writeString(config, """
                cluster: {name: lab}
                coordinator: {host: mdw}
                standby: {host: smdw}
                vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                """);
        home = dir.resolve("gpfo-0.1.0");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("bin/gpfo"), "#!/bin/sh\n");
    }

    /** Only read-only commands are answered; anything else fails the test. */
    private final CommandRunner runner = command -> {
        List<String> argv = command.argv();
        localCommands.add(String.join(" ", argv));
        if (argv.size() > 4 && argv.get(0).equals("sh") && argv.get(3).equals("facts")) {
            return ok(FACTS);
        }
        throw new AssertionError("unexpected local command: " + argv);
    };

    private final RemoteShell remote = new RemoteShell() {
        @Override
        public CommandResult run(String host, List<String> argv, Duration timeout) {
            remoteCommands.add(host + ": " + String.join(" ", argv));
            if (argv.equals(List.of("sudo", "-n", "true"))) {
                return sudo;
            }
            if (argv.size() > 6 && argv.subList(0, 3).equals(List.of("sudo", "-n", "sh")) && argv.get(5).equals("facts")) {
                return ok(remoteFacts);
            }
            throw new AssertionError("unexpected remote command: " + argv);
        }

        @Override
        public RemoteSession open(String host) throws SshException {
            if (sshFailure != null) {
                throw sshFailure;
            }
            return RemoteShell.super.open(host);
        }
    };

    private final CoordinatorSql sql = new CoordinatorSql() {
        @Override
        public boolean answers(String host, int port, Duration timeout) {
            return true;
        }

        @Override
        public DatabaseStatus status(String host, int port, Duration timeout) {
            return database;
        }
    };

    private int gpfo(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        Services services = new Services(runner, Clock.SYSTEM, Map.of("GPFO_CONFIG", config.toString()),
                new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false),
                new Executables(List.of(dir.resolve("no-bin"))), c -> remote, c -> sql,
                host -> host.equals("mdw") ? List.of("10.77.0.11") : host.equals("smdw") ? List.of("10.77.0.12") : List.of(),
                () -> List.of(new InterfaceAddress("eth0", localAddress, 24, "eth0")), root ? "root" : "gpadmin", root,
                Optional.of(home));
        int status = Gpfo.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true), services).execute(args);
        out = stdout.toString();
        err = stderr.toString();
        return status;
    }

    @Test
    void notRootIsAUsageErrorBeforeAnythingElse() {
        root = false;

        assertThat(gpfo("install")).isEqualTo(ExitCode.USAGE);
        assertThat(err).isEqualTo("FAILED  running as root: running as gpadmin\n"
                + "gpfo: gpfo install changes system files on both coordinator hosts; run it as root: sudo gpfo install;"
                + " nothing was changed\n");
        assertThat(gpfo("uninstall", "--yes")).isEqualTo(ExitCode.USAGE);
        assertThat(localCommands).isEmpty();
        assertThat(remoteCommands).isEmpty();
    }

    @Test
    void anUnknownInitSystemIsAUsageError() {
        assertThat(gpfo("install", "--init", "upstart")).isEqualTo(ExitCode.USAGE);
        assertThat(err).contains("--init: 'upstart' is not an init system (auto, systemd, sysv)");
    }

    @Test
    void notTheCoordinatorHostIsAUsageError() {
        localAddress = "10.77.0.12";

        assertThat(gpfo("install", "--dry-run")).isEqualTo(ExitCode.USAGE);
        assertThat(err).endsWith("gpfo: run gpfo install on the coordinator host mdw (coordinator.host); nothing was changed\n");
    }

    @Test
    void dryRunPrintsThePlanOnStdoutAndChangesNothing() {
        assertThat(gpfo("install", "--dry-run")).as(err).isZero();

        assertThat(err.lines()).contains("OK      running as root", "OK      configuration " + config + " is valid",
                "OK      this host is the coordinator mdw",
                "OK      distribution " + home + " (gpfo " + VersionProvider.version() + ")");
        assertThat(err).endsWith("gpfo: dry run: nothing was changed\n").doesNotContain("gpfo install plan");
        assertThat(out).startsWith("gpfo install plan: gpfo " + VersionProvider.version() + " from " + home + "\n")
                .endsWith("  then:\n    VIP 10.77.0.100/24 up on mdw (eth0:0) with gratuitous ARP, if no host holds it\n"
                        + "    gpfo status\n");
    }

    @Test
    void theInitOptionReachesThePlan() {
        remoteFacts = FACTS.replace("systemd=no", "systemd=yes") + "tool.systemctl=/usr/bin/systemctl\n";

        assertThat(gpfo("install", "--dry-run", "--init", "sysv")).as(err).isZero();
        assertThat(out).contains("  on smdw (over SSH as gpadmin, as root through sudo -n; init: sysv,");
        assertThat(gpfo("install", "--dry-run")).as(err).isZero();
        assertThat(out).contains("  on smdw (over SSH as gpadmin, as root through sudo -n; init: systemd):");
        assertThat(gpfo("install", "--dry-run", "--init", "systemd")).isEqualTo(ExitCode.FAILED);
    }

    @Test
    void withoutATerminalItRefusesUnlessYes() {
        assertThat(gpfo("install")).isEqualTo(ExitCode.REFUSED);
        assertThat(err).contains("gpfo install plan:").endsWith("gpfo: refusing without --yes: not on a terminal, so nobody"
                + " can confirm; nothing was changed\n");
    }

    @Test
    void aChangedHostKeyIsRefused() {
        sshFailure = new SshException(SshException.Kind.HOST_KEY, "smdw", "the host key of smdw has CHANGED since it was"
                + " recorded in /home/gpadmin/.ssh/known_hosts", null);

        assertThat(gpfo("install", "--yes")).isEqualTo(ExitCode.REFUSED);
        assertThat(err).endsWith("gpfo: 1 precondition(s) of install not met (ssh gpadmin@smdw); nothing was changed\n")
                .doesNotContain("install plan");
        assertThat(gpfo("uninstall", "--yes")).isEqualTo(ExitCode.REFUSED);
    }

    @Test
    void failedPreconditionsAreExitOne() {
        database = new DatabaseStatus(false, 150018, OptionalInt.of(1), List.of(), Optional.empty());
        sudo = new CommandResult(1, "", "sudo: a password is required", false, Duration.ZERO);

        assertThat(gpfo("install", "--yes")).isEqualTo(ExitCode.FAILED);
        assertThat(err).endsWith("gpfo: 2 precondition(s) of install not met (standby streaming, sudo -n on smdw); nothing was"
                + " changed\n");
        assertThat(gpfo("uninstall", "--yes")).isEqualTo(ExitCode.FAILED);
        assertThat(err).endsWith("gpfo: 1 precondition(s) of uninstall not met (sudo -n on smdw); nothing was changed\n");
    }

    @Test
    void uninstallPrintsThePlanAndRefusesWithoutYesOffATerminal() {
        assertThat(gpfo("uninstall")).isEqualTo(ExitCode.REFUSED);

        assertThat(err).contains("OK      running as root\nOK      configuration " + config + " is valid\n",
                "gpfo uninstall plan:", "    leave the VIP 10.77.0.100/24 where it is")
                .endsWith("refusing without --yes: not on a terminal, so nobody can confirm; nothing was changed\n");
    }
}
