package io.gpfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.config.ConfigLoader;
import io.gpfo.port.Clock;
import io.gpfo.port.Executables;
import io.gpfo.port.CommandResult;
import io.gpfo.port.FakeCommandRunner;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.vip.InterfaceAddress;
import java.time.Duration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real command line and checks exit status, stdout and stderr. */
class GpfoCliTest {

    @TempDir
    Path dir;

    private final FakeCommandRunner runner = new FakeCommandRunner();
    /** The peer answers every SSH command with success and no output. */
    private final RemoteShell remote = (host, argv, timeout) -> new CommandResult(0, "", "", false, Duration.ZERO);
    private final CoordinatorSql sql = new HealthyPairSql();
    private String out;
    private String err;

    private int gpfo(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        Services services = new Services(runner, Clock.SYSTEM, Map.of(),
                new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false),
                new Executables(List.of(dir.resolve("bin"))),
                config -> remote, config -> sql,
                host -> host.equals("mdw") ? List.of("10.77.0.11") : host.equals("smdw") ? List.of("10.77.0.12") : List.of(),
                () -> List.of(new InterfaceAddress("eth0", "10.77.0.11", 24, "eth0")), "root", true, Optional.empty(),
                root -> { throw new AssertionError("the distribution tree is read only by install"); });
        int status = Gpfo.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true), services).execute(args);
        out = stdout.toString();
        err = stderr.toString();
        return status;
    }

    @Test
    void helpListsTheExitStatusesThatApply() {
        assertThat(gpfo("--help")).isZero();
        assertThat(out).endsWith("Exit status:\n  0     ok\n  1     operation failed\n  2     usage or configuration error\n"
                + "  3     refused for safety\n  4     unhealthy state reported\n  130   interrupted\n");
        assertThat(gpfo("install", "--help")).isZero();
        assertThat(out).endsWith("Exit status:\n  0     ok\n  1     operation failed\n  2     usage or configuration error\n"
                + "  3     refused for safety\n  130   interrupted\n");
        assertThat(gpfo("status", "--help")).isZero();
        assertThat(out).contains("  4     unhealthy state reported\n").doesNotContain("refused for safety");
    }

    @Test
    void sharedOptionsSayWhatTheyMeanForEachCommand() {
        assertThat(gpfo("install", "--help")).isZero();
        assertThat(out).contains("--dry-run       Check the preconditions and print the plan;",
                "--yes           Do not ask for confirmation (required when not on a");
        assertThat(gpfo("watch", "--help")).isZero();
        assertThat(out).contains("--dry-run       Decide and log the actions without carrying them out");
        assertThat(gpfo("status", "--help")).isZero();
        assertThat(out).contains("--json          One JSON object on stdout: cluster, local_host, nodes,\n                        vip, replication, agent, health.");
        assertThat(gpfo("vip", "status", "--help")).isZero();
        assertThat(out).contains("--json          The JSON object of 'gpfo status --json'.");
        for (String command : List.of("uninstall", "promote")) {
            assertThat(gpfo(command, "--help")).isZero();
            assertThat(out).contains("--yes           Do not ask for confirmation");
        }
    }

    @Test
    void versionPrintsTheBuildVersion() {
        assertThat(gpfo("--version")).isZero();
        assertThat(out).startsWith("gpfo " + VersionProvider.version() + " ");
    }

    @Test
    void helpListsEveryCommandOfTheContract() {
        assertThat(gpfo("--help")).isZero();
        for (String command : List.of("watch", "promote", "vip", "status", "check", "pause", "resume", "install", "uninstall", "help")) {
            assertThat(out).containsPattern("(?m)^  " + command + "\\b");
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(gpfo("check", "--bogus")).isEqualTo(ExitCode.USAGE);
        assertThat(err).contains("Unknown option: '--bogus'");
    }

    @Test
    void checkWithABadConfigPrintsEveryErrorAndExits2() throws IOException {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                coordinator: {host: mdw}
                standby: {host: mdw}
                vip:
                  address: 10.77.0.300
                  prefix: 24
                  interface: eth0
                  gateway: 10.78.0.1
                  colour: blue
                """);

        assertThat(gpfo("check", "--config", config.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(out).isEmpty();
        assertThat(err.lines()).containsExactly(
                config + ":2:11 standby.host: is the same host as coordinator.host ('mdw'); the standby must be another host",
                config + ":4:12 vip.address: '10.77.0.300' is not an IPv4 address (expected a.b.c.d)",
                config + ":8:3 vip.colour: unknown key (known: address, prefix, netmask, interface, label, gateway, arp_count)",
                "gpfo: the configuration has 3 error(s); nothing was done. Fix them and run 'gpfo check'.");
    }

    @Test
    void checkFindsTheConfigThroughTheGlobalOptionToo() throws IOException {
        Path config = dir.resolve("missing.yaml");

        assertThat(gpfo("--config", config.toString(), "check")).isEqualTo(ExitCode.USAGE);
        assertThat(err).startsWith(config + " no such file");
    }

    @Test
    void checkOnAGoodHostPassesAndOnABadOneExits4() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("ip", "arping", "ping")) {
            Files.writeString(bin.resolve(tool), "");
            Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path home = Files.createDirectories(dir.resolve("gp/bin"));
        Files.writeString(home.getParent().resolve("greenplum_path.sh"), "");
        Files.writeString(home.resolve("gpactivatestandby"), "");
        Files.setPosixFilePermissions(home.resolve("gpactivatestandby"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = dir.resolve("gpfo.yaml");
        Files.writeString(config, """
                coordinator: {host: mdw}
                standby: {host: smdw}
                vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                greenplum: {home: %s, version: 7}
                state: {directory: %s}
                witnesses: {hosts: [sdw1]}
                """.formatted(home.getParent(), dir));
        runner.answer(bin.resolve("ip") + " -o link show dev eth0", 0, "2: eth0: <UP> state UP\n");
        runner.answer("getent passwd gpadmin", 0, "gpadmin:x:1:1::/home/gpadmin:/bin/bash\n");

        assertThat(gpfo("check", "--config", config.toString())).isZero();
        assertThat(out.lines()).hasSize(18).allMatch(line -> line.startsWith("OK "));
        assertThat(out).contains("OK    this host          is coordinator (mdw) of cluster greenplum")
                .contains("OK    sql smdw           smdw:5432 answers as standby (in recovery)")
                .contains("OK    ssh witness sdw1   gpadmin@sdw1 works, host key verified");
        assertThat(err).isEqualTo("gpfo: all 18 checks passed\n");

        runner.answer(bin.resolve("ip") + " -o link show dev eth0", 1, "");
        assertThat(gpfo("check", "--config", config.toString())).isEqualTo(ExitCode.UNHEALTHY);
        assertThat(out).contains("FAIL  vip interface      eth0 not found on this host");
        assertThat(err).isEqualTo("gpfo: 1 check(s) failed, 0 warning(s)\n");
    }
}
