package io.gpfo.lifecycle;

import static io.gpfo.lifecycle.LifecycleFakes.DATA;
import static io.gpfo.lifecycle.LifecycleFakes.DF;
import static io.gpfo.lifecycle.LifecycleFakes.INIT;
import static io.gpfo.lifecycle.LifecycleFakes.MOVE_ASIDE;
import static io.gpfo.lifecycle.LifecycleFakes.PRIMARY_STREAMING;
import static io.gpfo.lifecycle.LifecycleFakes.assertPauseLifted;
import static io.gpfo.lifecycle.LifecycleFakes.pauseOnPeer;
import static io.gpfo.lifecycle.LifecycleFakes.resumeOnPeer;
import static io.gpfo.testing.TestCluster.ACTIVATE;
import static io.gpfo.testing.TestCluster.FENCE;
import static io.gpfo.testing.TestCluster.INSPECT;
import static io.gpfo.testing.TestCluster.IP_ADD;
import static io.gpfo.testing.TestCluster.LOCAL;
import static io.gpfo.testing.TestCluster.NOTHING_TO_FENCE;
import static io.gpfo.testing.TestCluster.PEER;
import static io.gpfo.testing.TestCluster.PRIMARY;
import static io.gpfo.testing.TestCluster.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.pause.PauseControl;
import io.gpfo.promote.Promoter;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.state.PauseFile;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.RecordingStepLog;
import io.gpfo.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'gpfo switchover' run on smdw against fakes: mdw is the coordinator streaming to it. The clean stop,
 * the shutdown checkpoint, the catch-up, the promotion, the outage through the VIP and the rejoin, in
 * that order; each way it stops short, and the pause lifted whatever happened.
 */
class SwitchoverTest {

    static final String VIP = "10.77.0.100";
    static final String GPSTOP = "gpstop -m -a -M fast";
    static final String GPSTART = "gpstart -a";
    static final String CONTROLDATA = "pg_controldata " + DATA;
    static final String CHECKPOINT = "0/4000028";
    static final String RUNNING = "postmaster=running\npid=77\n";
    static final String SHUT_DOWN = "postmaster=not-running\n--- pg_controldata\nDatabase cluster state:               shut down\n";
    /** This standby has received and replayed past the shutdown checkpoint. */
    static final DatabaseStatus STANDBY_PAST_CHECKPOINT = new DatabaseStatus(true, 150018, OptionalInt.of(1), List.of(),
            Optional.of(new DatabaseStatus.Receiver(Optional.of("0/50000A0"), Optional.of("0/50000A0"), OptionalLong.of(0),
                    Optional.of("streaming"), OptionalDouble.of(0.1))));

    @TempDir
    Path state;

    private TestCluster cluster;
    private final RecordingStepLog steps = new RecordingStepLog();
    private Switchover switchover;
    /** The pause on smdw while gpstop ran. */
    private final AtomicReference<Optional<PauseFile.Pause>> pausedWhileStopping = new AtomicReference<>();

    /**
     * mdw serves and streams to smdw. gpstop takes 3 s and stops it cleanly at {@link #CHECKPOINT};
     * gpactivatestandby takes 2 s, after which smdw answers as the primary, also through the VIP;
     * mdw can then be re-added as the standby.
     */
    @BeforeEach
    void setUp() {
        cluster = TestCluster.onStandbyHost(state);
        cluster.sql.answers(LOCAL, STANDBY_PAST_CHECKPOINT).answers(PEER, PRIMARY_STREAMING);
        LifecycleFakes.peerFollowsPauses(cluster, state);
        LifecycleFakes.rejoinWorks(cluster);
        cluster.shell.answer(PEER, INSPECT, FakeShell.ok(RUNNING))
                .on(PEER, GPSTOP, argv -> {
                    pausedWhileStopping.set(PauseFile.read(state));
                    cluster.clock.advance(Duration.ofSeconds(3));
                    cluster.sql.down(PEER);
                    cluster.shell.answer(PEER, INSPECT, FakeShell.ok(SHUT_DOWN));
                    return FakeShell.ok("[INFO]:-Successfully shutdown the coordinator\n");
                })
                .answer(PEER, CONTROLDATA, FakeShell.ok("Database cluster state:               shut down\n"
                        + "Latest checkpoint location:           " + CHECKPOINT + "\n"
                        + "Latest checkpoint's TimeLineID:       1\n"))
                .on(PEER, GPSTART, argv -> {
                    cluster.sql.answers(PEER, PRIMARY);
                    return FakeShell.ok("[INFO]:-Database successfully started\n");
                })
                .answer(PEER, FENCE, FakeShell.ok(NOTHING_TO_FENCE))
                .on(LOCAL, ACTIVATE, argv -> {
                    cluster.clock.advance(Duration.ofSeconds(2));
                    cluster.sql.answers(LOCAL, PRIMARY).answers(VIP, PRIMARY);
                    return FakeShell.ok("[INFO]:-The activation of the standby coordinator has completed successfully\n");
                });
        PauseControl pauses = new PauseControl(cluster.access, steps);
        switchover = new Switchover(cluster.access, cluster.sql, LifecycleFakes.probes(cluster), pauses,
                new Promoter(cluster.access, cluster.sql, cluster.vip, cluster.clock, Optional.empty(), steps),
                LifecycleFakes.rejoin(cluster, pauses, steps), cluster.clock, steps, Runnable::run);
    }

    private int indexOf(String fragment) {
        int index = cluster.shell.indexOf(fragment);
        assertThat(index).as(fragment + " ran").isNotNegative();
        return index;
    }

    @Test
    void theCoordinatorStopsCleanlyThisStandbyCatchesUpIsPromotedAndMdwRejoins() throws IOException {
        Switchover.Result result = switchover.run(true);

        assertThat(result).isEqualTo(new Switchover.Result(Switchover.Outcome.SWITCHED, Optional.of(Duration.ofSeconds(5)),
                "switched: smdw is the coordinator, mdw its standby"));
        assertThat(List.of(indexOf(pauseOnPeer(state)), indexOf(GPSTOP), indexOf(CONTROLDATA), indexOf(FENCE), indexOf(ACTIVATE),
                indexOf(IP_ADD), indexOf(MOVE_ASIDE), indexOf(INIT), indexOf(resumeOnPeer(state)))).isSorted();
        assertThat(cluster.shell.calls(GPSTOP)).singleElement().satisfies(call -> assertThat(call).startsWith("mdw: bash -c ")
                .endsWith(" env PGPORT=5432 COORDINATOR_DATA_DIRECTORY=" + DATA + " MASTER_DATA_DIRECTORY=" + DATA + " " + GPSTOP));
        assertThat(pausedWhileStopping.get()).contains(new PauseFile.Pause(START.plus(Duration.ofHours(2)), Switchover.PAUSED_BY));
        assertThat(cluster.shell.calls(GPSTART)).isEmpty();
        assertThat(cluster.addresses.holdsVip()).isTrue();
        assertThat(steps.lines()).containsSubsequence(
                "OK      " + GPSTOP + " on mdw (5 ms)",
                "OK      read the shutdown checkpoint of mdw: " + CHECKPOINT + " (shut down)",
                "OK      this standby has received 0/50000A0 and replayed 0/50000A0: at or past the shutdown checkpoint "
                        + CHECKPOINT + ", nothing is lost",
                "OK      this host's database left recovery: it is the primary now",
                "OK      write outage: 5000 ms (mdw stopped → smdw answering through the VIP " + VIP + ")",
                "OK      rejoin: no postmaster runs on mdw (no postmaster, shut down cleanly (shut down))",
                "OK      mdw streams from smdw (sync, lag 0 bytes)",
                "OK      the pair is whole: mdw is the standby of smdw; the agents watch again once this pause is lifted (next lines)",
                "OK      resumed on mdw");
        assertPauseLifted(cluster, state);
    }

    @Test
    void anExpiredPauseIsNoPauseTheSwitchoverPausesTheAgentsItself() throws IOException {
        Files.createDirectories(state);
        Files.writeString(state.resolve(PauseFile.FILE_NAME), PauseFile.content(Optional.of(START.minus(Duration.ofHours(1))),
                PauseFile.BY_OPERATOR));

        Switchover.Result result = switchover.run(true);

        assertThat(result.outcome()).isEqualTo(Switchover.Outcome.SWITCHED);
        assertThat(pausedWhileStopping.get()).contains(new PauseFile.Pause(START.plus(Duration.ofHours(2)), Switchover.PAUSED_BY));
        assertPauseLifted(cluster, state);
    }

    @Test
    void aStandbyBehindTheShutdownCheckpointStartsTheCoordinatorAgain() throws IOException {
        cluster.sql.answers(LOCAL, TestCluster.STANDBY);

        Switchover.Result result = switchover.run(true);

        assertThat(result.outcome()).isEqualTo(Switchover.Outcome.RESTORED);
        assertThat(result.message()).isEqualTo("not switched: this standby did not receive and replay up to " + CHECKPOINT
                + " within 30 s. mdw was started again and serves as before; nothing was lost.");
        assertThat(steps.lines()).contains("FAILED  catch up to " + CHECKPOINT + ": received 0/3000000, replayed 0/3000000",
                "OK      gpstart -a on mdw: it serves again");
        assertThat(cluster.shell.calls(GPSTART)).singleElement().satisfies(call -> assertThat(call).startsWith("mdw: bash -c ")
                .contains(" env PGPORT=5432 "));
        assertThat(cluster.shell.calls(ACTIVATE)).isEmpty();
        assertThat(cluster.shell.calls(FENCE)).isEmpty();
        assertThat(cluster.addresses.holdsVip()).isFalse();
        assertPauseLifted(cluster, state);
    }

    @Test
    void aPostmasterStillRunningAfterGpstopStopsEverythingElse() throws IOException {
        cluster.shell.on(PEER, GPSTOP, argv -> FakeShell.ok(""));

        Switchover.Result result = switchover.run(true);

        assertThat(result).isEqualTo(new Switchover.Result(Switchover.Outcome.FAILED, Optional.empty(),
                "the coordinator mdw was not stopped: nothing was changed"));
        assertThat(steps.lines()).contains("FAILED  " + GPSTOP + " on mdw: exit 0, but its postmaster still runs (or SSH could"
                + " not tell)");
        List<String> calls = cluster.shell.calls();
        assertThat(calls.subList(indexOf(GPSTOP) + 1, calls.size())).hasSize(2).satisfiesExactly(
                call -> assertThat(call).startsWith("mdw: ").contains(INSPECT),
                call -> assertThat(call).startsWith("mdw: sh -c ").endsWith(resumeOnPeer(state)));
        assertPauseLifted(cluster, state);
    }

    @Test
    void aCoordinatorNotShutDownCleanlyIsStartedAgain() throws IOException {
        cluster.shell.answer(PEER, CONTROLDATA, FakeShell.ok("Database cluster state:               in production\n"
                + "Latest checkpoint location:           " + CHECKPOINT + "\n"));

        Switchover.Result result = switchover.run(true);

        assertThat(result.outcome()).isEqualTo(Switchover.Outcome.RESTORED);
        assertThat(result.message()).startsWith("not switched: its shutdown checkpoint could not be read.");
        assertThat(steps.lines()).contains("FAILED  read the shutdown checkpoint of mdw: pg_controldata says 'in production',"
                + " checkpoint " + CHECKPOINT);
        assertThat(indexOf(GPSTART)).isGreaterThan(indexOf(CONTROLDATA));
        assertThat(cluster.shell.calls(ACTIVATE)).isEmpty();
        assertPauseLifted(cluster, state);
    }

    @Test
    void withoutRejoinMdwIsLeftStopped() throws IOException {
        Switchover.Result result = switchover.run(false);

        assertThat(result).isEqualTo(new Switchover.Result(Switchover.Outcome.SWITCHED_WITHOUT_STANDBY,
                Optional.of(Duration.ofSeconds(5)), "switched; mdw is stopped and not a standby: 'gpfo rejoin' re-adds it"));
        assertThat(cluster.shell.calls(ACTIVATE)).hasSize(1);
        assertThat(cluster.shell.calls(INIT)).isEmpty();
        assertThat(cluster.shell.calls(MOVE_ASIDE)).isEmpty();
        assertThat(cluster.shell.calls(DF)).isEmpty();
        assertPauseLifted(cluster, state);
    }

    @Test
    void aVipThatNeverAnswersLeavesTheOutageUnmeasuredAndTheSwitchoverGoesOn() throws IOException {
        cluster.shell.on(LOCAL, ACTIVATE, argv -> {
            cluster.sql.answers(LOCAL, PRIMARY);
            return FakeShell.ok("");
        });

        Switchover.Result result = switchover.run(true);

        assertThat(result.outcome()).isEqualTo(Switchover.Outcome.SWITCHED);
        assertThat(result.writeOutage()).isEmpty();
        assertThat(steps.lines()).contains("FAILED  the new coordinator answering through the VIP: no answer within 60 s;"
                + " 'gpfo status' shows where the VIP is");
        assertPauseLifted(cluster, state);
    }
}
