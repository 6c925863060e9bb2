package io.gpfo.heartbeat;

import static io.gpfo.testing.TestCluster.ARP_PROBE;
import static io.gpfo.testing.TestCluster.INSPECT;
import static io.gpfo.testing.TestCluster.IP_SHOW;
import static io.gpfo.testing.TestCluster.LOCAL;
import static io.gpfo.testing.TestCluster.PEER;
import static io.gpfo.testing.TestCluster.PING;
import static io.gpfo.testing.TestCluster.PRIMARY;
import static io.gpfo.testing.TestCluster.STANDBY;
import static io.gpfo.testing.TestCluster.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.arbiter.ArbiterSession;
import io.gpfo.arbiter.FakeLeaderLease;
import io.gpfo.arbiter.LeaderLease;
import io.gpfo.decision.Decision;
import io.gpfo.decision.Observation;
import io.gpfo.decision.Observation.HeartbeatPath;
import io.gpfo.decision.Observation.PathResult;
import io.gpfo.node.Inspection;
import io.gpfo.node.Role;
import io.gpfo.state.Journal;
import io.gpfo.state.Phase;
import io.gpfo.testing.FakeHeartbeatPaths;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.Gate;
import io.gpfo.testing.TestCluster;
import io.gpfo.vip.DuplicateProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One round of probes: every probe bounded, the expensive ones only when the decision wants them. */
class ProbesTest {

    private static final Journal WATCHING = Journal.initial(START);
    /** Two failed rounds of three: this round reaches the threshold if the coordinator fails again. */
    private static final Journal AT_THRESHOLD = Journal.initial(START).withFailures(2).withPhase(Phase.SUSPECT, START);

    @TempDir
    Path state;

    private final FakeHeartbeatPaths paths = new FakeHeartbeatPaths();

    private Probes probes(TestCluster cluster) {
        return new Probes(cluster.access, cluster.sql, cluster.vip, new Decision(cluster.config, LOCAL, PEER), cluster.clock, paths);
    }

    @Test
    void aProbeThatHangsPastItsTimeoutReadsAsFailed() {
        TestCluster cluster = TestCluster.onStandbyHost(state, Map.of("heartbeat", "{interval: 1s, timeout: 200ms, failure_threshold: 3}"));
        try (Gate hang = new Gate(); Probes probes = probes(cluster)) {
            // both would answer once released: only a round that gave up at its deadline sees them fail
            cluster.sql.answers(LOCAL, STANDBY).hangs(PEER, hang, PRIMARY);
            paths.answering(true).hanging(hang);

            Observation observation = probes.gather(WATCHING);

            assertThat(observation.peer().status()).isEmpty();
            assertThat(observation.peer().paths()).containsExactly(new PathResult(HeartbeatPath.icmp(PEER), false),
                    new PathResult(HeartbeatPath.tcp(PEER, 22), false), new PathResult(HeartbeatPath.tcp(PEER, 5432), false));
            assertThat(observation.local().role()).isEqualTo(Role.STANDBY);
        }
    }

    @Test
    void theDeepProbesWaitUntilTheCoordinatorCouldReachTheThreshold() {
        TestCluster cluster = TestCluster.onStandbyHost(state).coordinatorCrashed();
        try (Probes probes = probes(cluster)) {

            Observation first = probes.gather(WATCHING);

            assertThat(first.deep()).isEmpty();
            assertThat(cluster.shell.calls(INSPECT)).isEmpty();
            assertThat(cluster.shell.calls(PING)).isEmpty();
            assertThat(cluster.shell.calls(ARP_PROBE)).isEmpty();
        }
    }

    @Test
    void aStandbyAtTheThresholdGathersTheDeepEvidence() {
        TestCluster cluster = TestCluster.onStandbyHost(state).coordinatorCrashed();
        try (Probes probes = probes(cluster)) {

            Observation observation = probes.gather(AT_THRESHOLD);

            assertThat(observation.deep()).hasValue(new Observation.Deep(Optional.of(Inspection.parse(TestCluster.CRASHED)), Optional.empty(), true,
                    Observation.Witnesses.NONE, Optional.of(DuplicateProbe.NOBODY)));
            assertThat(cluster.shell.calls(PING)).containsExactly("smdw: ping -n -q -c 1 -W 1 10.77.0.1");
        }
    }

    @Test
    void aStandbyWhoseCoordinatorAnswersNeedsNoDeepEvidence() {
        TestCluster cluster = TestCluster.onStandbyHost(state);
        cluster.sql.answers(LOCAL, STANDBY).answers(PEER, PRIMARY);
        paths.answering(true);
        try (Probes probes = probes(cluster)) {

            Observation observation = probes.gather(WATCHING);

            assertThat(observation.deep()).isEmpty();
            assertThat(observation.peer().status()).hasValue(PRIMARY);
            assertThat(observation.peer().pathsAnswered()).isEqualTo(3);
        }
    }

    @Test
    void aPrimaryWithoutTheVipProbesArpForIt() {
        TestCluster cluster = TestCluster.onStandbyHost(state);
        cluster.sql.answers(LOCAL, PRIMARY).answers(PEER, STANDBY);
        try (Probes probes = probes(cluster)) {

            Observation observation = probes.gather(WATCHING);

            assertThat(observation.vip()).isEqualTo(new Observation.VipView(false, Optional.of(false), Optional.of(DuplicateProbe.NOBODY)));
            assertThat(cluster.shell.calls(ARP_PROBE)).hasSize(1);
        }
    }

    @Test
    void aPrimaryHoldingTheVipAndAStandbyDoNotProbeArp() {
        TestCluster primary = TestCluster.onStandbyHost(state);
        primary.sql.answers(LOCAL, PRIMARY).answers(PEER, STANDBY);
        primary.addresses.holdVip(true);
        TestCluster standby = TestCluster.onStandbyHost(state);
        standby.sql.answers(LOCAL, STANDBY).answers(PEER, PRIMARY);
        try (Probes onPrimary = probes(primary); Probes onStandby = probes(standby)) {

            Observation holding = onPrimary.gather(WATCHING);
            Observation watching = onStandby.gather(WATCHING);

            assertThat(holding.vip().heldHere()).isTrue();
            assertThat(holding.vip().arp()).isEmpty();
            assertThat(watching.vip().arp()).isEmpty();
            assertThat(primary.shell.calls(ARP_PROBE)).isEmpty();
            assertThat(standby.shell.calls(ARP_PROBE)).isEmpty();
        }
    }

    @Test
    void thePeersVipIsAskedEveryTenthRoundWhileNothingDependsOnIt() {
        TestCluster cluster = TestCluster.onStandbyHost(state);
        cluster.sql.answers(LOCAL, STANDBY).answers(PEER, PRIMARY);
        cluster.shell.answer(PEER, IP_SHOW, FakeShell.ok(TestCluster.IP_WITH_VIP));
        try (Probes probes = probes(cluster)) {
            List<Optional<Boolean>> peerHolds = new java.util.ArrayList<>();
            for (int round = 1; round <= 11; round++) {
                peerHolds.add(probes.gather(WATCHING).vip().peerHolds());
            }

            assertThat(cluster.shell.calls(IP_SHOW)).hasSize(2);
            assertThat(peerHolds.get(0)).hasValue(true);
            assertThat(peerHolds.subList(1, 10)).allMatch(Optional::isEmpty);
            assertThat(peerHolds.get(10)).hasValue(true);
        }
    }

    @Test
    void aRefusedHostKeyIsAskedAgainEveryRoundAndTravelsAsATypedFailure() {
        TestCluster cluster = TestCluster.onStandbyHost(state);
        cluster.sql.answers(LOCAL, STANDBY).answers(PEER, PRIMARY);
        cluster.shell.hostKeyChanged(PEER);
        try (Probes probes = probes(cluster)) {
            List<Observation.VipView> views = new java.util.ArrayList<>();
            for (int round = 1; round <= 3; round++) {
                views.add(probes.gather(WATCHING).vip());
            }
            // every round, so that the alert lasts as long as the refusal, not one round in ten
            assertThat(cluster.shell.calls(IP_SHOW)).hasSize(3);
            assertThat(views).allSatisfy(view -> {
                assertThat(view.peerHolds()).isEmpty();
                assertThat(view.peerUnasked()).hasValueSatisfying(failure -> assertThat(failure.hostKey()).isTrue());
            });

            cluster.shell.answer(PEER, IP_SHOW, FakeShell.ok(TestCluster.IP_WITH_VIP));
            assertThat(probes.gather(WATCHING).vip().peerHolds()).as("fixed: answered").hasValue(true);
            assertThat(probes.gather(WATCHING).vip().peerUnasked()).as("then back to every tenth round").isEmpty();
            assertThat(cluster.shell.calls(IP_SHOW)).hasSize(4);
        }
    }

    @Test
    void aLocalDatabaseThatDoesNotAnswerIsInspectedOnItsHostAndItsLeaseNotRenewed() {
        TestCluster cluster = TestCluster.onStandbyHost(state);
        cluster.sql.down(LOCAL).answers(PEER, PRIMARY);
        cluster.shell.answer(LOCAL, INSPECT, FakeShell.ok("postmaster=not-running\n--- pg_controldata\n"));
        // the key names this host: a crashed postmaster (kill -9) must let the lease lapse
        try (Probes probes = probesWithKey(cluster)) {

            Observation observation = probes.gather(WATCHING);

            assertThat(observation.local().role()).isEqualTo(Role.DOWN);
            assertThat(observation.local().detail()).isEqualTo("no postmaster; connection to smdw refused");
            assertThat(lease.renewals).isZero();
            assertThat(observation.arbiter()).hasValueSatisfying(view -> {
                assertThat(view.leaderIs(LOCAL)).isTrue();
                assertThat(view.heldUntil()).isEmpty();
            });
        }
    }

    // ------------------------------------------------------------------ the arbiter's renewal
    private final FakeLeaderLease lease = new FakeLeaderLease();

    /** Probes with an arbiter whose leader key names this host (smdw, the primary here). */
    private Probes probesWithKey(TestCluster cluster) {
        return probesWithKeyOf(LOCAL, cluster);
    }

    private Probes probesWithKeyOf(String holder, TestCluster cluster) {
        lease.key = Optional.of(new LeaderLease.Leader(holder, 7));
        ArbiterSession session = new ArbiterSession(lease, LOCAL, Duration.ofSeconds(5), cluster.config.heartbeat().timeout(),
                state, timeout -> Optional.empty(), cluster.clock);
        return new Probes(cluster.access, cluster.sql, cluster.vip, new Decision(cluster.config, LOCAL, PEER), cluster.clock,
                paths, Optional.of(session));
    }

    @Test
    void aPrimaryAnsweringSqlRenewsItsLease() {
        TestCluster cluster = TestCluster.onStandbyHost(state);
        cluster.sql.answers(LOCAL, PRIMARY).answers(PEER, STANDBY);
        try (Probes probes = probesWithKey(cluster)) {

            Observation observation = probes.gather(WATCHING);

            assertThat(lease.renewals).isEqualTo(1);
            assertThat(observation.arbiter()).hasValueSatisfying(view -> assertThat(view.heldUntil()).isPresent());
        }
    }

    @Test
    void aHungLocalPostmasterRenewsNothingOnceItsAnswerIsLate() {
        TestCluster cluster = TestCluster.onStandbyHost(state, Map.of("heartbeat", "{interval: 1s, timeout: 200ms, failure_threshold: 3}"));
        try (Gate hang = new Gate(); Probes probes = probesWithKey(cluster)) {
            // it would answer as a primary once released: only the local answer's deadline stops the renewal
            cluster.sql.hangs(LOCAL, hang, PRIMARY).answers(PEER, STANDBY);

            Observation observation = probes.gather(WATCHING);

            assertThat(observation.local().role()).isEqualTo(Role.UNKNOWN);
            assertThat(lease.renewals).isZero();
            assertThat(observation.arbiter()).hasValueSatisfying(view -> assertThat(view.answered()).isTrue());
        }
    }

    /** Reading the key lets a hung peer answer: the peer's answer is in the round only if the key was read first. */
    @Test
    void aStandbyHoldingNoLeaseReadsTheKeyOnceThePeersAnswersAreIn() {
        TestCluster cluster = TestCluster.onStandbyHost(state, Map.of("heartbeat", "{interval: 1s, timeout: 200ms, failure_threshold: 3}"));
        try (Gate hang = new Gate(); Probes probes = probesWithKeyOf(PEER, cluster)) {
            cluster.sql.answers(LOCAL, STANDBY).hangs(PEER, hang, PRIMARY);
            lease.onRead = hang::open;

            Observation observation = probes.gather(WATCHING);

            assertThat(observation.peer().status()).as("the peer's answer was given up before the key was read").isEmpty();
            assertThat(observation.arbiter()).hasValueSatisfying(view -> assertThat(view.leaderIs(PEER)).isTrue());
        }
    }

    @Test
    void aPrimaryHoldingTheLeaseRenewsItBeforeThePeersAnswersAreIn() {
        TestCluster cluster = TestCluster.onStandbyHost(state, Map.of("heartbeat", "{interval: 1s, timeout: 200ms, failure_threshold: 3}"));
        cluster.sql.answers(LOCAL, PRIMARY).answers(PEER, STANDBY);
        try (Gate hang = new Gate(); Probes probes = probesWithKey(cluster)) {
            probes.gather(WATCHING); // renews: the lease is held from here on
            cluster.sql.hangs(PEER, hang, STANDBY);
            lease.onRead = hang::open;

            Observation observation = probes.gather(WATCHING);

            assertThat(observation.peer().status()).as("the key was read while the peer's answer was still out").hasValue(STANDBY);
            assertThat(lease.renewals).isEqualTo(2);
        }
    }

    @Test
    void closingTheProbesClosesThePaths() {
        probes(TestCluster.onStandbyHost(state)).close();

        assertThat(paths.closed()).isTrue();
    }
}
