package io.gpfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.config.ConfigLoader;
import io.gpfo.install.FlowFixture;
import io.gpfo.port.Clock;
import io.gpfo.port.CommandResult;
import io.gpfo.port.Executables;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.SshException;
import io.gpfo.vip.InterfaceAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
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

    @TempDir
    Path dir;

    /** mdw and smdw; this host is the one whose address localAddress is. */
    private FlowFixture hosts;
    private String localAddress = "10.77.0.11";
    private boolean root = true;
    private String out;
    private String err;

    @BeforeEach
    void hosts() throws IOException {
        hosts = new FlowFixture(dir);
    }

    private int gpfo(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        Services services = new Services(hosts.runner(), Clock.SYSTEM, Map.of("GPFO_CONFIG", hosts.config.toString()),
                new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false),
                new Executables(List.of(dir.resolve("no-bin"))), c -> hosts.remote(), c -> hosts.sql(),
                host -> host.equals("mdw") ? List.of("10.77.0.11") : host.equals("smdw") ? List.of("10.77.0.12") : List.of(),
                () -> List.of(new InterfaceAddress("eth0", localAddress, 24, "eth0")), root ? "root" : "gpadmin", root,
                Optional.of(hosts.home), hosts.tree());
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
        assertThat(hosts.localCommands).isEmpty();
        assertThat(hosts.remoteCommands).isEmpty();
    }

    @Test
    void aDryRunNeedsNoRootAndSaysWhatTheInstallWillNeedRootFor() {
        root = false;

        assertThat(gpfo("install", "--dry-run")).as(err).isZero();
        assertThat(err).startsWith("        not root: this dry run shows the plan; the install itself needs root (sudo gpfo"
                + " install)").contains("/etc/sudoers.d/gpfo").doesNotContain("FAILED");
        assertThat(out).startsWith("gpfo install plan: gpfo " + VersionProvider.version());
        assertThat(gpfo("install", "--yes")).as("the install itself still refuses").isEqualTo(ExitCode.USAGE);
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

        assertThat(err.lines()).contains("OK      running as root", "OK      configuration " + hosts.config + " is valid",
                "OK      this host is the coordinator mdw",
                "OK      distribution " + hosts.home + " (gpfo " + VersionProvider.version() + ")");
        assertThat(err).endsWith("gpfo: dry run: nothing was changed\n").doesNotContain("gpfo install plan");
        assertThat(out).startsWith("gpfo install plan: gpfo " + VersionProvider.version() + " from " + hosts.home + "\n")
                .endsWith("  then:\n    VIP 10.77.0.100/24 up on mdw (eth0:0) with gratuitous ARP, if no host holds it\n"
                        + "    gpfo status\n");
    }

    @Test
    void theInitOptionReachesThePlan() {
        hosts.remoteFacts = FlowFixture.FACTS.replace("systemd=no", "systemd=yes") + "tool.systemctl=/usr/bin/systemctl\n";

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
        hosts.sshFailure = new SshException(SshException.Kind.HOST_KEY, "smdw", "the host key of smdw has CHANGED since it was"
                + " recorded in /home/gpadmin/.ssh/known_hosts", null);

        assertThat(gpfo("install", "--yes")).isEqualTo(ExitCode.REFUSED);
        assertThat(err).endsWith("gpfo: 1 precondition(s) of install not met (ssh gpadmin@smdw); nothing was changed\n")
                .doesNotContain("install plan");
        assertThat(gpfo("uninstall", "--yes")).isEqualTo(ExitCode.REFUSED);
    }

    @Test
    void failedPreconditionsAreExitOne() {
        hosts.database = new DatabaseStatus(false, 150018, OptionalInt.of(1), List.of(), Optional.empty());
        hosts.sudo = new CommandResult(1, "", "sudo: a password is required", false, Duration.ZERO);

        assertThat(gpfo("install", "--yes")).isEqualTo(ExitCode.FAILED);
        assertThat(err).endsWith("gpfo: 2 precondition(s) of install not met (standby streaming, sudo -n on smdw); nothing was"
                + " changed\n");
        assertThat(gpfo("uninstall", "--yes")).isEqualTo(ExitCode.FAILED);
        assertThat(err).endsWith("gpfo: 1 precondition(s) of uninstall not met (sudo -n on smdw); nothing was changed\n");
    }

    @Test
    void uninstallPrintsThePlanAndRefusesWithoutYesOffATerminal() {
        assertThat(gpfo("uninstall")).isEqualTo(ExitCode.REFUSED);

        assertThat(err).contains("OK      running as root\nOK      configuration " + hosts.config + " is valid\n",
                "gpfo uninstall plan:", "    leave the VIP 10.77.0.100/24 where it is")
                .endsWith("refusing without --yes: not on a terminal, so nobody can confirm; nothing was changed\n");
    }
}
