package io.gpfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.port.Clock;
import io.gpfo.port.CommandResult;
import io.gpfo.port.Executables;
import io.gpfo.port.FakeCommandRunner;
import io.gpfo.config.ConfigLoader;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.ssh.SshException;
import io.gpfo.vip.InterfaceAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input ends in exit 2 with a first line that says what is wrong, before anything is
 * touched: these run the real command line on files that are wrong in one way each.
 */
class BadInputTest {

    private static final String MINIMAL = """
            coordinator: {host: mdw}
            standby: {host: smdw}
            vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
            """;

    @TempDir
    Path dir;

    /** What the fake peer was asked to run: must stay empty for every bad input. */
    private final List<List<String>> remoteCommands = new ArrayList<>();
    private final FakeCommandRunner runner = new FakeCommandRunner();
    private String localAddress = "10.77.0.11";
    private boolean peerReachable = true;
    private String out;
    private String err;

    private int gpfo(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CoordinatorSql sql = new HealthyPairSql();
        Services services = new Services(runner, Clock.SYSTEM, Map.of(),
                new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false),
                new Executables(List.of(dir.resolve("bin"))),
                config -> (host, argv, timeout) -> {
                    remoteCommands.add(argv);
                    if (!peerReachable) {
                        throw new SshException(SshException.Kind.UNREACHABLE, host, "connection refused", null);
                    }
                    return new CommandResult(0, "", "", false, Duration.ZERO);
                },
                config -> sql,
                host -> host.equals("mdw") ? List.of("10.77.0.11") : host.equals("smdw") ? List.of("10.77.0.12") : List.of(),
                () -> List.of(new InterfaceAddress("eth0", localAddress, 24, "eth0")), "root", true, Optional.empty(),
                root -> { throw new AssertionError("the distribution tree is read only by install"); });
        int status = Gpfo.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true), services).execute(args);
        out = stdout.toString();
        err = stderr.toString();
        return status;
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Runs {@code gpfo check --config FILE}; asserts exit 2, nothing on stdout, nothing asked of the peer. */
    private String firstLineOfCheck(String config) {
        assertThat(gpfo("check", "--config=" + config)).as(err).isEqualTo(ExitCode.USAGE);
        assertThat(out).isEmpty();
        assertThat(remoteCommands).isEmpty();
        return err.lines().findFirst().orElseThrow();
    }

    @Test
    void aFileOfTensOfMegabytes() throws IOException {
        Path config = file("huge.yaml", MINIMAL + "#".repeat(20 * 1024 * 1024));

        assertThat(firstLineOfCheck(config.toString())).isEqualTo(
                config + " is 20971644 bytes; a configuration file may be at most 1 MiB (1048576 bytes)");
    }

    @Test
    void deeplyNestedYaml() throws IOException {
        Path config = file("deep.yaml", "vip: " + "[".repeat(50_000) + "]".repeat(50_000) + "\n");

        assertThat(firstLineOfCheck(config.toString())).isEqualTo(
                config + ":1:37 nested more than 32 levels deep (the limit; gpfo.yaml needs 3)");
    }

    @Test
    void aTabUsedForIndentation() throws IOException {
        Path config = file("tab.yaml", "coordinator:\n\thost: mdw\n");

        assertThat(firstLineOfCheck(config.toString())).isEqualTo(config + ":2:1 not valid YAML: found character"
                + " '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)");
    }

    @Test
    void aDeviceInsteadOfAFile() {
        assertThat(firstLineOfCheck("/dev/null")).isEqualTo(
                "/dev/null is not a regular file (a device, FIFO or socket); the configuration must be a regular file");
    }

    @Test
    void anEmptyConfigOption() {
        assertThat(firstLineOfCheck("")).isEqualTo(
                "--config is empty; give the configuration file's path, e.g. --config /etc/gpfo/gpfo.yaml");
    }

    @Test
    void aFileThatIsNotUtf8() throws IOException {
        Path config = dir.resolve("latin1.yaml");
        Files.write(config, (MINIMAL + "cluster: {name: gr\u00fcn}\n").getBytes(StandardCharsets.ISO_8859_1));

        assertThat(firstLineOfCheck(config.toString())).isEqualTo(
                config + " is not UTF-8 at byte 143 (line 4: 0xfc); save it as UTF-8");
    }

    @Test
    void aWitnessListedTwiceIsReportedOnce() throws IOException {
        Path config = file("witness.yaml", MINIMAL + "witnesses: {hosts: [sdw1, sdw1]}\n");

        assertThat(firstLineOfCheck(config.toString())).isEqualTo(config + ":4:27 witnesses.hosts[1]: 'sdw1' is listed twice");
        assertThat(err.lines()).hasSize(2);
    }

    @Test
    void aSecondYamlDocument() throws IOException {
        Path config = file("two.yaml", MINIMAL + "---\nheartbeat: {interval: 2s}\n");

        assertThat(firstLineOfCheck(config.toString())).isEqualTo(config + ":5:1 a second YAML document (after a '---' line)"
                + " starts here; gpfo.yaml must be one document (remove the '---' and merge the two)");
    }

    @Test
    void aValueThatConflictsWithADefaultSaysItIsTheDefault() throws IOException {
        Path config = file("heartbeat.yaml", MINIMAL + "heartbeat: {interval: 500ms}\n");

        assertThat(firstLineOfCheck(config.toString())).isEqualTo(config + ":4:1 heartbeat.timeout: (default 1s) must not"
                + " exceed heartbeat.interval 500ms, or rounds would overlap");
    }

    @Test
    void pauseForZeroIsNotAPause() throws IOException {
        Path config = file("gpfo.yaml", MINIMAL + "state: {directory: " + dir + "}\n");

        assertThat(gpfo("pause", "--for", "0s", "--config", config.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err).isEqualTo("gpfo: --for 0s must be more than 0; to end a pause run 'gpfo resume'\n");
        assertThat(gpfo("pause", "--for", "an hour", "--config", config.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err).isEqualTo("gpfo: --for 'an hour' is not a duration; expected e.g. 500ms, 2s, 1m, 1h30m, 1d\n");
        assertThat(remoteCommands).isEmpty();
        assertThat(dir.resolve("paused")).doesNotExist();
    }

    @Test
    void pauseTakesCompoundDurationsAndDays() throws IOException {
        Path config = file("gpfo.yaml", MINIMAL + "state: {directory: " + dir + "}\n");

        for (String length : List.of("1h30m", "1d")) {
            assertThat(gpfo("pause", "--for", length, "--config", config.toString())).as(err).isZero();
            assertThat(err).startsWith("OK      paused on mdw until ");
        }
        assertThat(remoteCommands).hasSize(2);
    }

    @Test
    void checkOnAHostThatIsNeitherCoordinatorListsWhatItCouldNotRun() throws IOException {
        localAddress = "10.77.0.99";
        runner.answer("ip -o link show dev eth0", 0, "2: eth0: <UP> state UP\n");
        runner.answer("getent passwd gpadmin", 0, "gpadmin:x:1:1::/home/gpadmin:/bin/bash\n");
        Path config = file("gpfo.yaml", MINIMAL + "witnesses: {hosts: [sdw1]}\nstate: {directory: " + dir + "}\n");

        assertThat(gpfo("check", "--config", config.toString())).isEqualTo(ExitCode.UNHEALTHY);
        List<String> lines = out.lines().toList();
        int thisHost = lines.indexOf(lines.stream().filter(line -> line.startsWith("FAIL  this host")).findFirst().orElseThrow());
        assertThat(lines.subList(thisHost + 1, lines.size())).containsExactly(
                "SKIP  greenplum version  needs to run on the coordinator or standby host",
                "SKIP  sql mdw            needs to run on the coordinator or standby host",
                "SKIP  sql smdw           needs to run on the coordinator or standby host",
                "SKIP  ssh peer           needs to run on the coordinator or standby host",
                "SKIP  tools on peer      needs to run on the coordinator or standby host",
                "SKIP  sudo rule on peer  needs to run on the coordinator or standby host",
                "SKIP  ssh witness sdw1   needs to run on the coordinator or standby host");
        assertThat(err).endsWith(" check(s) failed, 0 warning(s), 7 not run\n");
    }

    @Test
    void checkListsThePeerChecksThatNeededSshAsNotRun() throws IOException {
        peerReachable = false;
        runner.answer("ip -o link show dev eth0", 0, "2: eth0: <UP> state UP\n");
        runner.answer("getent passwd gpadmin", 0, "gpadmin:x:1:1::/home/gpadmin:/bin/bash\n");
        Path config = file("gpfo.yaml", MINIMAL + "greenplum: {version: 7}\nstate: {directory: " + dir + "}\n");

        assertThat(gpfo("check", "--config", config.toString())).isEqualTo(ExitCode.UNHEALTHY);
        assertThat(out).contains("FAIL  ssh smdw           connection refused",
                "SKIP  tools on smdw      needs SSH to smdw\n", "SKIP  sudo rule on smdw  needs SSH to smdw\n");
        assertThat(err).endsWith(", 2 not run\n");
    }
}
