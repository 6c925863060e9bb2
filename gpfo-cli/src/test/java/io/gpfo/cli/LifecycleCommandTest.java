package io.gpfo.cli;

import static io.gpfo.testing.TestCluster.CRASHED;
import static io.gpfo.testing.TestCluster.INSPECT;
import static io.gpfo.testing.TestCluster.LOCAL;
import static io.gpfo.testing.TestCluster.PEER;
import static io.gpfo.testing.TestCluster.PRIMARY;
import static io.gpfo.testing.TestCluster.START;
import static io.gpfo.testing.TestCluster.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.config.ConfigLoader;
import io.gpfo.port.Executables;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.testing.FakeClock;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.FakeSql;
import io.gpfo.vip.InterfaceAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpfo rejoin and gpfo switchover on the command line, run on smdw: a dry run prints the checks and
 * the plan and changes nothing; a failed precondition is exit 3 and changes nothing either. Only
 * the read-only probes may run here (the steps themselves are tested in gpfo-core).
 */
class LifecycleCommandTest {

    static final String DF = "df -P -B1";
    static final String JOURNAL = " journal ";
    static final String RUNNING = "postmaster=running\npid=77\n";
    static final DatabaseStatus PRIMARY_STREAMING = new DatabaseStatus(false, 150018, OptionalInt.of(1),
            List.of(new DatabaseStatus.Sender("gp_walreceiver", "streaming", "sync", 0)), Optional.empty());

    @TempDir
    Path dir;

    private Path state;
    private Path config;
    private final FakeShell shell = new FakeShell(LOCAL);
    private final FakeSql sql = new FakeSql();
    private String err;

    @BeforeEach
    void configure() throws IOException {
        state = dir.resolve("state");
        config = dir.resolve("gpfo.yaml");
        PairConfig.write(config, state);
    }

    /** Runs gpfo on smdw. */
    private int gpfo(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        Services services = new Services(shell.local(), new FakeClock(START), Map.of("GPFO_CONFIG", config.toString()),
                new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false), new Executables(List.of(dir.resolve("bin"))),
                c -> shell, c -> sql,
                host -> host.equals(PEER) ? List.of("10.77.0.11") : host.equals(LOCAL) ? List.of("10.77.0.12") : List.of(),
                () -> List.of(new InterfaceAddress("eth0", "10.77.0.12", 24, "eth0")), "gpadmin", false, Optional.empty(),
                root -> { throw new AssertionError("the distribution tree is read only by install"); });
        int status = Gpfo.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true), services).execute(args);
        err = stderr.toString();
        return status;
    }

    /** smdw serves alone after a failover; mdw crashed, 10 GiB free there, 100 MiB of databases. */
    private void afterFailover() {
        sql.answers(LOCAL, PRIMARY).down(PEER).databaseBytes(LOCAL, 100L << 20);
        shell.answer(PEER, INSPECT, FakeShell.ok(CRASHED)).answer(PEER, DF, FakeShell.ok((10L << 30) + "\n"));
    }

    /** mdw serves and streams to smdw; no agent has run on either host yet. */
    private void streamingPair() {
        sql.answers(LOCAL, STANDBY).answers(PEER, PRIMARY_STREAMING);
        shell.answer(PEER, INSPECT, FakeShell.ok(RUNNING)).answer(PEER, JOURNAL, FakeShell.ok(""));
    }

    /** Only the read-only probes ran, and no pause or event was written. */
    private void assertNothingChanged(String... probes) {
        assertThat(shell.calls()).allSatisfy(call -> assertThat(call).containsAnyOf(probes));
        assertThat(state.resolve("paused")).doesNotExist();
        assertThat(state.resolve("events.jsonl")).doesNotExist();
    }

    @Test
    void rejoinDryRunPrintsTheChecksAndThePlan() {
        afterFailover();

        assertThat(gpfo("rejoin", "--dry-run")).as(err).isZero();

        assertThat(err.lines()).containsExactly(
                "OK      the acting primary answers SQL",
                "OK      mdw answers SSH",
                "OK      no postmaster runs on mdw (no postmaster, crashed (in production))",
                "OK      no standby is configured yet",
                "OK      room for a full copy on mdw (10240 MiB free, 120 MiB needed (the databases' 100 MiB and a margin))",
                "The plan:",
                "  - move /data/coordinator/gpseg-1 on mdw aside to /data/coordinator/gpseg-1.gpfo-20261130T120000Z (kept)",
                "  - gpinitstandby -s mdw (data directory /data/coordinator/gpseg-1) on the acting primary: a full copy",
                "  - wait until mdw streams",
                "  - re-arm both agents (paused meanwhile)");
        assertNothingChanged(INSPECT, DF);
    }

    @Test
    void rejoinRefusesWhileTheOldCoordinatorRuns() {
        afterFailover();
        shell.answer(PEER, INSPECT, FakeShell.ok(RUNNING));

        assertThat(gpfo("rejoin", "--yes")).isEqualTo(ExitCode.REFUSED);

        assertThat(err).contains("FAILED  no postmaster runs on mdw: its postmaster running (pid 77); gpfo never touches a"
                + " running coordinator").endsWith("gpfo: not rejoining: a precondition fails (above); nothing was changed\n")
                .doesNotContain("The plan:");
        assertNothingChanged(INSPECT, DF);
    }

    @Test
    void rejoinWithoutYesOffATerminalChangesNothing() {
        afterFailover();

        assertThat(gpfo("rejoin")).isEqualTo(ExitCode.REFUSED);

        assertThat(err).endsWith("gpfo: refusing without --yes: not on a terminal, so nobody can confirm; nothing was changed\n");
        assertNothingChanged(INSPECT, DF);
    }

    @Test
    void switchoverDryRunPrintsTheChecksAndThePlan() {
        streamingPair();

        assertThat(gpfo("switchover", "--dry-run")).as(err).isZero();

        assertThat(err.lines()).containsExactly(
                "OK      smdw is the standby",
                "OK      mdw answers SQL as the primary",
                "OK      mdw answers SSH",
                "OK      smdw streams from mdw (lag 0 bytes)",
                "OK      the agent on smdw is not failed, promoting or owing a fence (no agent has run there)",
                "OK      the agent on mdw is not failed, promoting or owing a fence (no agent has run there)",
                "The plan:",
                "  - pause the agents on both hosts",
                "  - gpstop -m on mdw (a clean stop: clients are disconnected)",
                "  - promote smdw once it has replayed mdw's shutdown checkpoint (else start mdw again)",
                "  - move the VIP 10.77.0.100/24 to smdw",
                "  - re-add mdw as the standby (its data directory moved aside, gpinitstandby)",
                "  - resume the agents");
        assertThat(shell.calls(JOURNAL)).singleElement().satisfies(call -> assertThat(call).startsWith("mdw: sh -c ")
                .endsWith(JOURNAL + state.resolve("state.json")));
        assertNothingChanged(INSPECT, JOURNAL);
    }

    @Test
    void switchoverDryRunWithoutRejoinLeavesMdwStopped() {
        streamingPair();

        assertThat(gpfo("switchover", "--dry-run", "--no-rejoin")).as(err).isZero();

        assertThat(err).contains("  - leave mdw stopped\n").doesNotContain("gpinitstandby");
        assertNothingChanged(INSPECT, JOURNAL);
    }

    @Test
    void switchoverRefusesAStandbyThatDoesNotStream() {
        streamingPair();
        sql.answers(PEER, PRIMARY);

        assertThat(gpfo("switchover", "--yes")).isEqualTo(ExitCode.REFUSED);

        assertThat(err).contains("FAILED  smdw streams from mdw: no streaming standby on mdw; 'gpfo status' shows the"
                + " replication state").endsWith("gpfo: not switching over: a precondition fails (above); nothing was"
                + " changed\n").doesNotContain("The plan:");
        assertNothingChanged(INSPECT, JOURNAL);
    }

    @Test
    void switchoverOnThePrimaryIsRefused() {
        streamingPair();
        sql.answers(LOCAL, PRIMARY).answers(PEER, STANDBY);

        assertThat(gpfo("switchover", "--yes")).isEqualTo(ExitCode.REFUSED);

        assertThat(err).contains("FAILED  smdw is the standby: smdw is the primary: run 'gpfo switchover' on the standby mdw,"
                + " which it promotes");
        assertNothingChanged(INSPECT, JOURNAL);
    }
}
