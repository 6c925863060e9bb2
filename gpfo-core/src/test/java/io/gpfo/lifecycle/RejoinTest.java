package io.gpfo.lifecycle;

import static io.gpfo.lifecycle.LifecycleFakes.ASIDE;
import static io.gpfo.lifecycle.LifecycleFakes.DATA;
import static io.gpfo.lifecycle.LifecycleFakes.DATABASE_BYTES;
import static io.gpfo.lifecycle.LifecycleFakes.DF;
import static io.gpfo.lifecycle.LifecycleFakes.FREE_BYTES;
import static io.gpfo.lifecycle.LifecycleFakes.INIT;
import static io.gpfo.lifecycle.LifecycleFakes.MOVE_ASIDE;
import static io.gpfo.lifecycle.LifecycleFakes.assertPauseLifted;
import static io.gpfo.lifecycle.LifecycleFakes.pauseOnPeer;
import static io.gpfo.lifecycle.LifecycleFakes.resumeOnPeer;
import static io.gpfo.testing.TestCluster.CRASHED;
import static io.gpfo.testing.TestCluster.INSPECT;
import static io.gpfo.testing.TestCluster.LOCAL;
import static io.gpfo.testing.TestCluster.PEER;
import static io.gpfo.testing.TestCluster.PRIMARY;
import static io.gpfo.testing.TestCluster.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.evidence.EvidenceProbes.PostmasterView;
import io.gpfo.node.Inspection;
import io.gpfo.node.NodeName;
import io.gpfo.pause.PauseControl;
import io.gpfo.state.PauseFile;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.RecordingStepLog;
import io.gpfo.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'gpfo rejoin' against fakes, seen from smdw, the acting primary after a failover: mdw stopped, its
 * old data directory still there. The facts as gathered, and the plan carried out step by step.
 */
class RejoinTest {

    @TempDir
    Path state;

    private final RecordingStepLog steps = new RecordingStepLog();
    /** How many commands had run when the plan's run began (the facts' commands come before). */
    private int commandsBeforeRun;

    /** smdw serves alone; mdw crashed (no postmaster, its directory kept) and can be re-added. */
    private TestCluster afterFailover(Map<String, String> sections) {
        TestCluster cluster = TestCluster.onStandbyHost(state, sections);
        cluster.sql.answers(LOCAL, PRIMARY).down(PEER);
        cluster.shell.answer(PEER, INSPECT, FakeShell.ok(CRASHED));
        LifecycleFakes.peerFollowsPauses(cluster, state);
        LifecycleFakes.rejoinWorks(cluster);
        return cluster;
    }

    private TestCluster afterFailover() {
        return afterFailover(Map.of());
    }

    private Rejoin rejoin(TestCluster cluster) {
        return LifecycleFakes.rejoin(cluster, new PauseControl(cluster.access, steps), steps);
    }

    /** What smdw's pause file said when mdw's directory was moved aside. */
    private AtomicReference<Optional<PauseFile.Pause>> pauseSeenByTheMoveAside(TestCluster cluster) {
        AtomicReference<Optional<PauseFile.Pause>> seen = new AtomicReference<>();
        cluster.shell.on(PEER, MOVE_ASIDE, argv -> {
            seen.set(PauseFile.read(state));
            return FakeShell.ok(DATABASE_BYTES + "\n");
        });
        return seen;
    }

    /** Gathers the facts, judges them (they must be READY) and runs the plan; the commands it ran are those after the facts. */
    private boolean gatherJudgeAndRun(TestCluster cluster) throws IOException {
        Rejoin rejoin = rejoin(cluster);
        RejoinFacts facts = rejoin.facts();
        RejoinPlan plan = RejoinPlan.judge(facts, cluster.clock.now());
        assertThat(plan.verdict()).as(plan.checks().toString()).isEqualTo(RejoinPlan.Verdict.READY);
        steps.clear();
        commandsBeforeRun = cluster.shell.calls().size();
        return rejoin.run(plan, facts);
    }

    @Test
    void factsAfterAFailoverNameSmdwThePrimaryAndMdwTheTarget() {
        TestCluster cluster = afterFailover();

        RejoinFacts facts = rejoin(cluster).facts();

        assertThat(facts).isEqualTo(new RejoinFacts(Optional.of(NodeName.STANDBY), "", Optional.of(PRIMARY), NodeName.COORDINATOR,
                PEER, DATA, new PostmasterView(Optional.of(Inspection.parse(CRASHED)), Optional.empty()), Optional.empty(),
                OptionalLong.of(DATABASE_BYTES), "", OptionalLong.of(FREE_BYTES), ""));
        assertThat(cluster.shell.calls(DF)).singleElement().satisfies(call -> assertThat(call).startsWith("mdw: sh -c ")
                .endsWith(" df " + DATA));
        assertThat(cluster.shell.calls()).noneMatch(call -> call.startsWith("smdw: "));
    }

    @Test
    void factsSayWhyWhenNoHostIsPrimaryAndDfFails() {
        TestCluster cluster = afterFailover();
        cluster.sql.down(LOCAL);
        cluster.shell.answer(PEER, DF, FakeShell.exit(1, "", "df: /data: No such file or directory"));

        RejoinFacts facts = rejoin(cluster).facts();

        assertThat(facts.actingPrimary()).isEmpty();
        assertThat(facts.primaryProblem()).isEqualTo("no host answers SQL as the primary (smdw: connection to smdw refused; mdw:"
                + " connection to mdw refused)");
        assertThat(facts.databaseBytes()).isEmpty();
        assertThat(facts.sizeProblem()).isEqualTo("no acting primary");
        assertThat(facts.targetFreeBytes()).isEmpty();
        assertThat(facts.freeProblem()).startsWith("df failed: ").contains("exit 1");
    }

    @Test
    void factsRefuseTwoPrimaries() {
        TestCluster cluster = afterFailover();
        cluster.sql.answers(PEER, PRIMARY);

        RejoinFacts facts = rejoin(cluster).facts();

        assertThat(facts.actingPrimary()).isEmpty();
        assertThat(facts.primaryProblem()).isEqualTo("both hosts answer as primary: split brain, stop one of them first");
    }

    @Test
    void aReadyPlanPausesMovesAsideCopiesWaitsAndResumes() throws IOException {
        TestCluster cluster = afterFailover();
        AtomicReference<Optional<PauseFile.Pause>> pausedWhileMoving = pauseSeenByTheMoveAside(cluster);
        boolean whole = gatherJudgeAndRun(cluster);

        assertThat(whole).isTrue();
        List<String> ran = cluster.shell.calls().subList(commandsBeforeRun, cluster.shell.calls().size());
        assertThat(ran).hasSize(4);
        assertThat(ran.get(0)).startsWith("mdw: sh -c ").contains(pauseOnPeer(state));
        assertThat(ran.get(1)).startsWith("mdw: bash -c ").endsWith(MOVE_ASIDE + DATA + " " + ASIDE);
        assertThat(ran.get(2)).startsWith("smdw: bash -c ").endsWith(" gpinitstandby -s mdw -S " + DATA + " -P 5432 -a");
        assertThat(ran.get(3)).startsWith("mdw: sh -c ").endsWith(resumeOnPeer(state));
        assertThat(pausedWhileMoving.get()).contains(new PauseFile.Pause(START.plus(Duration.ofHours(2)), Rejoin.PAUSED_BY));
        assertThat(cluster.shell.environmentOf(INIT)).containsEntry("PGPORT", "5432")
                .containsEntry("COORDINATOR_DATA_DIRECTORY", DATA.toString());
        assertThat(steps.lines()).containsExactly(
                "OK      paused on smdw until 2026-11-30T14:00:00Z (gpfo rejoin)",
                "OK      paused on mdw until 2026-11-30T14:00:00Z",
                "OK      moved " + DATA + " aside to " + ASIDE + " on mdw (100 MiB): kept, it may hold late commits; remove it"
                        + " when you no longer need it",
                "        running gpinitstandby -s mdw -S " + DATA + " -P 5432 -a on smdw (a full copy of smdw)",
                "OK      gpinitstandby -s mdw -S " + DATA + " -P 5432 -a on smdw (0 s)",
                "OK      mdw streams from smdw (sync, lag 0 bytes)",
                "OK      the pair is whole: mdw is the standby of smdw; the agents watch again once this pause is lifted (next lines)",
                "OK      resumed on smdw",
                "OK      resumed on mdw");
        assertPauseLifted(cluster, state);
    }

    @Test
    void aFailedGpinitstandbyStopsTheRejoinAndStillLiftsThePause() throws IOException {
        TestCluster cluster = afterFailover();
        cluster.shell.answer(LOCAL, INIT, FakeShell.exit(1, "20261130:12:00:01:001234 gpinitstandby:smdw:gpadmin-[CRITICAL]:-"
                + "Failed to create standby\n", ""));

        boolean whole = gatherJudgeAndRun(cluster);

        assertThat(whole).isFalse();
        assertThat(steps.lines()).contains("FAILED  gpinitstandby -s mdw -S " + DATA + " -P 5432 -a on smdw: exit 1: Failed to"
                + " create standby; its log is in ~gpadmin/gpAdminLogs/gpinitstandby_*.log on smdw");
        assertThat(steps.lines()).anyMatch(line -> line.startsWith("        stopped here: what is done above stays done")
                && line.contains("run 'gpfo rejoin' again"));
        assertThat(steps.lines()).noneMatch(line -> line.contains("streams from") || line.contains("the pair is whole"));
        assertThat(cluster.clock.now()).as("no wait for streaming").isEqualTo(START);
        assertPauseLifted(cluster, state);
    }

    @Test
    void aStandbyThatNeverStreamsEndsTheBoundedWaitWithAFailedLine() throws IOException {
        TestCluster cluster = afterFailover();
        cluster.shell.answer(LOCAL, INIT, FakeShell.ok(""));

        boolean whole = gatherJudgeAndRun(cluster);

        assertThat(whole).isFalse();
        assertThat(cluster.clock.now()).isEqualTo(START.plus(Duration.ofMinutes(10)));
        assertThat(steps.lines()).contains("        waiting for mdw to stream (10 s)",
                "FAILED  wait for mdw to stream: not streaming after 10 min (no standby connected)");
        assertThat(steps.lines()).anyMatch(line -> line.contains("run 'gpfo rejoin' again"));
        assertPauseLifted(cluster, state);
    }

    @Test
    void anOperatorsPauseIsKeptAfterwards() throws IOException {
        TestCluster cluster = afterFailover();
        String operatorsPause = PauseFile.content(Optional.empty(), PauseFile.BY_OPERATOR);
        Files.writeString(state.resolve(PauseFile.FILE_NAME), operatorsPause);

        boolean whole = gatherJudgeAndRun(cluster);

        assertThat(whole).isTrue();
        assertThat(Files.readString(state.resolve(PauseFile.FILE_NAME))).isEqualTo(operatorsPause);
        assertThat(PauseFile.resumeRequested(state)).isFalse();
        assertThat(cluster.shell.calls()).noneMatch(call -> call.contains(pauseOnPeer(state)) || call.contains(resumeOnPeer(state)));
        assertThat(steps.lines()).startsWith("        the agents were paused before (gpfo pause): they stay paused afterwards;"
                + " 'gpfo resume' when ready");
        assertThat(steps.lines()).endsWith("OK      the pair is whole: mdw is the standby of smdw; the agents stay paused until"
                + " 'gpfo resume'");
    }

    @Test
    void anExpiredPauseIsNoPauseTheRejoinPausesTheAgentsItself() throws IOException {
        TestCluster cluster = afterFailover();
        Files.writeString(state.resolve(PauseFile.FILE_NAME), PauseFile.content(Optional.of(START.minus(Duration.ofHours(1))),
                PauseFile.BY_OPERATOR));
        AtomicReference<Optional<PauseFile.Pause>> pausedWhileMoving = pauseSeenByTheMoveAside(cluster);

        boolean whole = gatherJudgeAndRun(cluster);

        assertThat(whole).isTrue();
        assertThat(pausedWhileMoving.get()).contains(new PauseFile.Pause(START.plus(Duration.ofHours(2)), Rejoin.PAUSED_BY));
        assertThat(steps.lines()).noneMatch(line -> line.contains("paused before"));
        assertPauseLifted(cluster, state);
    }

    @Test
    void greenplum6NamesTheStandbyDirectoryWithF() throws IOException {
        TestCluster cluster = afterFailover(Map.of("greenplum", "{version: 6}"));

        boolean whole = gatherJudgeAndRun(cluster);

        assertThat(whole).isTrue();
        assertThat(cluster.shell.calls(INIT)).singleElement().satisfies(call -> assertThat(call)
                .endsWith(" gpinitstandby -s mdw -S " + DATA + " -P 5432 -a"));
        assertThat(cluster.shell.environmentOf(INIT)).containsEntry("PGPORT", "5432")
                .containsEntry("MASTER_DATA_DIRECTORY", DATA.toString()).doesNotContainKey("COORDINATOR_DATA_DIRECTORY");
    }
}
