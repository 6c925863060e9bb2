package io.gpfo.agent;

import static io.gpfo.testing.TestCluster.ACTIVATE;
import static io.gpfo.testing.TestCluster.FENCE;
import static io.gpfo.testing.TestCluster.IP_ADD;
import static io.gpfo.testing.TestCluster.LOCAL;
import static io.gpfo.testing.TestCluster.PEER;
import static io.gpfo.testing.TestCluster.PRIMARY;
import static io.gpfo.testing.TestCluster.STANDBY;
import static io.gpfo.testing.TestCluster.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpfo.arbiter.ArbiterSession;
import io.gpfo.arbiter.FakeLeaderLease;
import io.gpfo.decision.Action;
import io.gpfo.decision.Decision.ActionResult;
import io.gpfo.decision.Observation;
import io.gpfo.fence.Fencing;
import io.gpfo.node.Role;
import io.gpfo.promote.Promoter;
import io.gpfo.state.Journal;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.RecordingStepLog;
import io.gpfo.testing.TestCluster;
import io.gpfo.vip.DuplicateProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import io.gpfo.ssh.SshFailure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of action carried out, and what its result reports back to the decision. */
class ExecutorTest {

    /** The round that decided to promote: the coordinator's host is down, SSH to it failed. */
    private static final Observation HOST_DOWN = new Observation(START, new Observation.Local(Role.STANDBY, Optional.of(STANDBY), ""),
            new Observation.Peer(Optional.empty(), List.of()), Optional.of(new Observation.Deep(Optional.empty(),
                    Optional.of(SshFailure.noAnswer("connect to mdw port 22 timed out")), true, Observation.Witnesses.NONE, Optional.of(DuplicateProbe.NOBODY))),
            Observation.VipView.of(false, Optional.empty()), Observation.Maintenance.NONE);
    private static final Journal JOURNAL = Journal.initial(START);

    @TempDir
    Path state;

    private TestCluster cluster;
    private Executor executor;

    @BeforeEach
    void setUp() {
        cluster = TestCluster.onStandbyHost(state);
        executor = new Executor(cluster.access, cluster.vip, new Fencing(cluster.access, cluster.vip), new Promoter(cluster.access,
                cluster.sql, cluster.vip, cluster.clock, Optional.empty(), new RecordingStepLog()));
        cluster.sql.answers(LOCAL, STANDBY);
    }

    @Test
    void promoteReportsThePromotionAndWhetherTheOldCoordinatorWasFenced() {
        cluster.shell.on(LOCAL, ACTIVATE, argv -> {
            cluster.sql.answers(LOCAL, PRIMARY);
            return FakeShell.ok("");
        });

        ActionResult result = executor.run(new Action.Promote("host down"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.peerFenced()).isFalse();
        assertThat(result.detail()).startsWith("this host is the new coordinator");
        assertThat(cluster.addresses.holdsVip()).isTrue();
    }

    @Test
    void aFailedGpactivatestandbyIsAFailedPromotionWithItsReason() {
        cluster.shell.answer(LOCAL, ACTIVATE, FakeShell.exit(1, "", "gpactivatestandby: standby coordinator is not running"));

        ActionResult result = executor.run(new Action.Promote("host down"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.peerFenced()).isFalse();
        assertThat(result.detail()).startsWith("gpactivatestandby failed (exit 1: gpactivatestandby: standby coordinator is not running)")
                .contains("The VIP was not moved");
        assertThat(cluster.shell.calls(IP_ADD)).isEmpty();
    }

    @Test
    void aPromotionWithoutDeepEvidenceIsABugNotAGuess() {
        Observation cheap = new Observation(START, HOST_DOWN.local(), HOST_DOWN.peer(), Optional.empty(), HOST_DOWN.vip(),
                HOST_DOWN.maintenance());

        assertThatThrownBy(() -> executor.run(new Action.Promote("?"), cheap, JOURNAL, Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without deep evidence");
        assertThat(cluster.shell.calls()).isEmpty();
    }

    @Test
    void fencingThePeerReportsItFenced() {
        cluster.shell.answer(PEER, FENCE, FakeShell.ok("fence=stopped 77\n"));

        ActionResult result = executor.run(new Action.FencePeer("reachable again"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1));

        assertThat(result).isEqualTo(new ActionResult(true, true, "mdw: VIP removed, postmaster 77 stopped"));
    }

    @Test
    void aPeerThatSshCannotReachIsNotFenced() {
        cluster.shell.unreachable(PEER);

        ActionResult result = executor.run(new Action.FencePeer("reachable again"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.peerFenced()).isFalse();
        assertThat(result.detail()).startsWith("mdw: VIP not removed (connect to mdw port 22 timed out)");
    }

    @Test
    void vipUpBringsTheVipUpAndAnnouncesIt() {
        ActionResult result = executor.run(new Action.VipUp("this host is the acting primary"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1));

        assertThat(result).isEqualTo(new ActionResult(true, false, "this host is the acting primary"));
        assertThat(cluster.addresses.holdsVip()).isTrue();
        assertThat(cluster.shell.calls(TestCluster.ARP_ANNOUNCE)).hasSize(1);
    }

    @Test
    void vipUpReportsAFailedIpCommand() {
        cluster.shell.answer(LOCAL, IP_ADD, FakeShell.exit(2, "", "RTNETLINK answers: Invalid argument"));

        ActionResult result = executor.run(new Action.VipUp("claim"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1));

        assertThat(result).isEqualTo(new ActionResult(false, false, "ip addr add failed: exit 2: RTNETLINK answers: Invalid argument"));
        assertThat(cluster.shell.calls(TestCluster.ARP_ANNOUNCE)).isEmpty();
    }

    @Test
    void stepDownFencesThisHost() {
        cluster.addresses.holdVip(true);
        cluster.shell.answer(LOCAL, FENCE, FakeShell.ok("fence=stopped 88\n"));

        ActionResult result = executor.run(new Action.StepDown("newer timeline"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1));

        assertThat(result).isEqualTo(new ActionResult(true, false, "smdw: VIP removed, postmaster 88 stopped"));
        assertThat(cluster.addresses.holdsVip()).isFalse();
        assertThat(cluster.shell.calls()).noneMatch(call -> call.startsWith("mdw: "));
    }

    @Test
    void aStepDownWhosePostmasterSurvivesIsIncomplete() {
        cluster.shell.answer(LOCAL, FENCE, FakeShell.exit(1, "fence=failed postmaster 88 survived SIGKILL\n", ""));

        ActionResult result = executor.run(new Action.StepDown("newer timeline"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1));

        assertThat(result).isEqualTo(new ActionResult(false, false, "smdw: VIP removed, postmaster 88 survived SIGKILL"));
    }

    @Test
    void selfFenceIsTheSameFenceOfThisHost() {
        cluster.addresses.holdVip(true);
        cluster.shell.answer(LOCAL, FENCE, FakeShell.ok("fence=stopped 88\n"));

        ActionResult result = executor.run(new Action.SelfFence("lease lost"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1));

        assertThat(result).isEqualTo(new ActionResult(true, false, "smdw: VIP removed, postmaster 88 stopped"));
        assertThat(cluster.addresses.holdsVip()).isFalse();
    }

    @Test
    void claimLeaderTakesAFreeKeyAndReportsAHeldOneAsFailed() {
        FakeLeaderLease lease = new FakeLeaderLease();
        Executor withArbiter = new Executor(cluster.access, cluster.vip, new Fencing(cluster.access, cluster.vip),
                new Promoter(cluster.access, cluster.sql, cluster.vip, cluster.clock, Optional.empty(), new RecordingStepLog()),
                Optional.of(new ArbiterSession(lease, "smdw", Duration.ofSeconds(5), Duration.ofSeconds(1), state,
                        timeout -> Optional.empty(), cluster.clock)));

        ActionResult taken = withArbiter.run(new Action.ClaimLeader("free"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1));
        ActionResult held = withArbiter.run(new Action.ClaimLeader("free"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1));

        assertThat(taken).isEqualTo(new ActionResult(true, false, "the leader key names smdw under lease 64"));
        assertThat(held.succeeded()).isFalse();
        assertThat(held.detail()).isEqualTo("etcd answered: held by smdw");
        assertThat(executor.run(new Action.ClaimLeader("free"), HOST_DOWN, JOURNAL, Duration.ofSeconds(1)))
                .isEqualTo(new ActionResult(false, false, "no arbiter is configured"));
    }
}
