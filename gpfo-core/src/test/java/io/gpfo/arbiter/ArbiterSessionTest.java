package io.gpfo.arbiter;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.arbiter.LeaderLease.Leader;
import io.gpfo.arbiter.LeaderLease.Reach;
import io.gpfo.decision.Observation;
import io.gpfo.node.Role;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.state.Phase;
import io.gpfo.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ArbiterSessionTest {

    private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");
    private static final BooleanSupplier SERVES = () -> true;
    /** A round's cheap deadline at 1 s / 1 s: what the probes give the arbiter. */
    private static final Duration BUDGET = Duration.ofMillis(1500);
    private static final Observation.Local PRIMARY = new Observation.Local(Role.PRIMARY, Optional.of(database(false)), "");
    /** kill -9 of the postmaster: no SQL, no postmaster (Probes' view of a crash). */
    private static final Observation.Local CRASHED = new Observation.Local(Role.DOWN, Optional.empty(), "no postmaster");
    /** SIGSTOP of the postmaster: SQL times out while the process runs (Probes' view of a hang, or of a late answer). */
    private static final Observation.Local HUNG = new Observation.Local(Role.UNKNOWN, Optional.empty(),
            "no answer within 1500 ms");
    private static final Observation.Local STANDBY = new Observation.Local(Role.STANDBY, Optional.of(database(true)), "");

    private static DatabaseStatus database(boolean inRecovery) {
        return new DatabaseStatus(inRecovery, 150018, OptionalInt.of(1), List.of(), Optional.empty());
    }

    @TempDir
    Path state;

    private final FakeLeaderLease lease = new FakeLeaderLease();
    private final FakeClock clock = new FakeClock(START);
    private final List<Duration> peerAsked = new ArrayList<>();

    private ArbiterSession session() {
        return new ArbiterSession(lease, "mdw", Duration.ofSeconds(5), Duration.ofSeconds(1), state, timeout -> {
            peerAsked.add(timeout);
            return Optional.of(new Observation.PeerReach(Reach.UNREACHABLE, clock.now()));
        }, clock);
    }

    @Test
    void itsOwnKeyIsRenewedEachRoundAndHeldFromBeforeTheCall() {
        ArbiterSession session = session();
        lease.key = Optional.of(new Leader("mdw", 7));
        clock.advance(Duration.ofSeconds(3));

        Observation.ArbiterView view = session.observe(SERVES, BUDGET);

        assertThat(lease.renewals).isEqualTo(1);
        assertThat(view.heldUntil()).hasValue(START.plusSeconds(8));
        assertThat(view.leaderIs("mdw")).isTrue();
        assertThat(view.lastAnswered()).isEqualTo(START.plusSeconds(3));
    }

    @Test
    void anotherHostsKeyIsReadNotRenewed() {
        ArbiterSession session = session();
        lease.key = Optional.of(new Leader("smdw", 8));

        Observation.ArbiterView view = session.observe(SERVES, BUDGET);

        assertThat(lease.renewals).isZero();
        assertThat(view.heldUntil()).isEmpty();
        assertThat(view.leader()).hasValue(new Leader("smdw", 8));
    }

    @Test
    void aLeaseThatExpiredBetweenReadAndRenewalLeavesNoLeader() {
        ArbiterSession session = session();
        lease.key = Optional.of(new Leader("mdw", 7));
        lease.ttlLeft = 0;

        Observation.ArbiterView view = session.observe(SERVES, BUDGET);

        assertThat(view.leader()).isEmpty();
        assertThat(view.answered()).isTrue();
    }

    @Test
    void whenEtcdIsCutTheLastConfirmedLeaseAndAnswerStay() throws Exception {
        ArbiterSession session = session();
        lease.key = Optional.of(new Leader("mdw", 7));
        session.observe(SERVES, BUDGET);
        lease.reach = Reach.NO_QUORUM;
        clock.advance(Duration.ofSeconds(2));

        Observation.ArbiterView view = session.observe(SERVES, BUDGET);

        assertThat(view.reach()).isEqualTo(Reach.NO_QUORUM);
        assertThat(view.heldUntil()).hasValue(START.plusSeconds(5));
        assertThat(view.lastAnswered()).isEqualTo(START);
        assertThat(view.missedSince()).hasValue(START.plusSeconds(2));
        assertThat(view.peerReach()).hasValue(new Observation.PeerReach(Reach.UNREACHABLE, START.plusSeconds(2)));
        assertThat(Files.readString(state.resolve(ArbiterSession.REACH_FILE))).startsWith("NO_QUORUM ");
        assertThat(session.unanswered("late").heldUntil()).hasValue(START.plusSeconds(5));
        assertThat(session.unanswered("late").reach()).isEqualTo(Reach.UNREACHABLE);
    }

    @Test
    void thePeerIsAskedInEveryRoundThisHostDoesNotReachEtcdFromTheFirst() {
        ArbiterSession session = session();
        assertThat(session.observe(SERVES, BUDGET).peerReach()).isEmpty();
        assertThat(peerAsked).isEmpty();

        lease.reach = Reach.UNREACHABLE;
        clock.advance(Duration.ofSeconds(1));
        Observation.ArbiterView first = session.observe(SERVES, BUDGET);
        clock.advance(Duration.ofSeconds(1));
        Observation.ArbiterView second = session.observe(SERVES, BUDGET);

        assertThat(first.peerReach()).isPresent();
        assertThat(second.peerReach()).isPresent();
        assertThat(peerAsked).containsExactly(BUDGET, BUDGET);
        assertThat(second.missedSince()).as("since the first ask that failed").hasValue(START.plusSeconds(1));
        assertThat(session.unanswered("late").missedSince()).hasValue(START.plusSeconds(1));

        lease.reach = Reach.ANSWERED;
        assertThat(session.observe(SERVES, BUDGET).missedSince()).isEmpty();
    }

    @Test
    void aRoundWithoutEtcdKeepsToItsBudgetThePeerGetsWhatTheReadLeft() {
        ArbiterSession session = session();
        lease.reach = Reach.NO_QUORUM;
        lease.onRead = () -> clock.advance(Duration.ofSeconds(1)); // a member without quorum holds the read its timeout
        session.observe(SERVES, BUDGET);
        assertThat(peerAsked).containsExactly(Duration.ofMillis(500));

        lease.onRead = () -> clock.advance(BUDGET);
        Observation.ArbiterView late = session.observe(SERVES, BUDGET);
        assertThat(peerAsked).as("no time left: not asked").hasSize(1);
        assertThat(late.peerReach()).isEmpty();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a net under the deadline below
    void aLeaseTakenForAPromotionIsRenewedWhileTheActionRunsLongerThanARound() {
        ArbiterSession session = session();
        assertThat(session.claim().taken()).isTrue();

        // the action ends once two renewals came in: it ran across rounds, as a slow gpactivatestandby does.
        // The keeper renews every 10 ms; if it stops renewing, the test fails after 10 s instead of hanging.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String result = session.renewingDuring(() -> {
            while (lease.renewals < 2) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the lease keeper renewed " + lease.renewals
                            + " time(s) in 10 s at one renewal every 10 ms; expected 2");
                }
                LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
            }
            return "promoted";
        }, Duration.ofMillis(10));

        assertThat(result).isEqualTo("promoted");
        assertThat(lease.renewals).isGreaterThanOrEqualTo(2);
    }

    @Test
    void withoutALeaseHeldNothingIsRenewedDuringAnAction() {
        ArbiterSession session = session();
        lease.key = Optional.of(new Leader("smdw", 8));
        session.observe(SERVES, BUDGET);

        assertThat(session.renewingDuring(() -> "done", Duration.ofMillis(1))).isEqualTo("done");
        assertThat(lease.renewals).isZero();
    }

    @Test
    void anAgentThatServedRenewsItsLeaseOnceMoreAsItStopsOneThatDidNotDoesNot() {
        ArbiterSession serving = session();
        lease.key = Optional.of(new Leader("mdw", 7));
        serving.observe(SERVES, BUDGET);
        int renewed = lease.renewals;

        serving.renewAsTheAgentStops();
        assertThat(lease.renewals).isEqualTo(renewed + 1);

        ArbiterSession crashed = session();
        crashed.observe(() -> ArbiterSession.servesAsPrimary(CRASHED, Phase.SERVING), BUDGET);
        crashed.renewAsTheAgentStops();
        assertThat(lease.renewals).as("a crashed postmaster's lease lapses").isEqualTo(renewed + 1);
    }

    @Test
    void onlyAPromotionAndWhatServesItKeepTheLease() {
        assertThat(new io.gpfo.decision.Action.Promote("gone").keepsLeaderLease()).isTrue();
        assertThat(new io.gpfo.decision.Action.FencePeer("back").keepsLeaderLease()).isTrue();
        assertThat(new io.gpfo.decision.Action.VipUp("serving").keepsLeaderLease()).isTrue();
        assertThat(new io.gpfo.decision.Action.StepDown("newer timeline").keepsLeaderLease()).isFalse();
        assertThat(new io.gpfo.decision.Action.SelfFence("lease lost").keepsLeaderLease()).isFalse();
        assertThat(new io.gpfo.decision.Action.ClaimLeader("free").keepsLeaderLease()).isFalse();
    }

    @Test
    void aClaimHoldsTheLeaseFromBeforeTheCallAndAHeldKeyIsNotTaken() {
        ArbiterSession session = session();

        LeaderLease.Claim claim = session.claim();
        Observation.ArbiterView view = session.observe(SERVES, BUDGET);

        assertThat(claim.taken()).isTrue();
        assertThat(view.heldUntil()).hasValue(START.plusSeconds(5));
        lease.key = Optional.of(new Leader("smdw", 9));
        assertThat(session.claim().taken()).isFalse();
    }

    @Test
    void theReachFileIsOneWordAndATimeReadStrictly() throws Exception {
        ArbiterSession session = session();
        clock.advance(Duration.ofMillis(42));
        session.observe(SERVES, BUDGET);

        assertThat(Files.readString(state.resolve(ArbiterSession.REACH_FILE)))
                .isEqualTo("ANSWERED " + START.getEpochSecond() + ".042\n");
        Duration staleAfter = Duration.ofSeconds(6);
        Instant now = START.plusSeconds(2);
        String written = " " + START.getEpochSecond() + ".042\n";
        assertThat(ArbiterSession.parsePeerReach("UNREACHABLE" + written, now, staleAfter))
                .hasValue(new Observation.PeerReach(Reach.UNREACHABLE, START.plusMillis(42)));
        assertThat(ArbiterSession.parsePeerReach("NO_QUORUM" + written, START.plusSeconds(6), staleAfter)).map(
                Observation.PeerReach::reach).hasValue(Reach.NO_QUORUM);
        assertThat(ArbiterSession.parsePeerReach("ANSWERED " + START.getEpochSecond(), now, staleAfter)).as("whole seconds")
                .hasValue(new Observation.PeerReach(Reach.ANSWERED, START));
        assertThat(ArbiterSession.parsePeerReach("unreachable" + written, now, staleAfter)).isEmpty();
        assertThat(ArbiterSession.parsePeerReach("UNREACHABLE", now, staleAfter)).isEmpty();
        assertThat(ArbiterSession.parsePeerReach("UNREACHABLE " + START.getEpochSecond() + ".4", now, staleAfter)).isEmpty();
        assertThat(ArbiterSession.parsePeerReach("", now, staleAfter)).isEmpty();
    }

    @Test
    void everyRoundRewritesTheReachFileEvenWhenItsWordIsTheSame() throws Exception {
        ArbiterSession session = session();
        session.observe(SERVES, BUDGET);
        clock.advance(Duration.ofSeconds(30));

        session.observe(SERVES, BUDGET);

        assertThat(Files.readString(state.resolve(ArbiterSession.REACH_FILE)))
                .isEqualTo("ANSWERED " + START.plusSeconds(30).getEpochSecond() + ".000\n");
    }

    @Test
    void onlyAPrimaryAnsweringSqlThatHasNotSteppedDownServes() {
        assertThat(ArbiterSession.servesAsPrimary(PRIMARY, Phase.SERVING)).isTrue();
        assertThat(ArbiterSession.servesAsPrimary(PRIMARY, Phase.PROMOTED)).isTrue();
        assertThat(ArbiterSession.servesAsPrimary(PRIMARY, Phase.STEPPED_DOWN)).isFalse();
        assertThat(ArbiterSession.servesAsPrimary(CRASHED, Phase.SERVING)).isFalse();
        assertThat(ArbiterSession.servesAsPrimary(HUNG, Phase.SERVING)).isFalse();
        assertThat(ArbiterSession.servesAsPrimary(STANDBY, Phase.FAILED)).isFalse();
    }

    @Test
    void aHealthyPrimaryRenewsItsKey() {
        ArbiterSession session = session();
        lease.key = Optional.of(new Leader("mdw", 7));
        clock.advance(Duration.ofSeconds(1));

        Observation.ArbiterView view = session.observe(() -> ArbiterSession.servesAsPrimary(PRIMARY,
                Phase.SERVING), BUDGET);

        assertThat(lease.renewals).isEqualTo(1);
        assertThat(view.heldUntil()).hasValue(START.plusSeconds(6));
    }

    @Test
    void aCrashedPostmasterLetsTheLeaseLapse() {
        assertNotRenewed(CRASHED, Phase.SERVING);
    }

    @Test
    void aHungPostmasterLetsTheLeaseLapse() {
        assertNotRenewed(HUNG, Phase.SERVING);
    }

    @Test
    void aPrimaryThatSteppedDownLetsTheLeaseLapse() {
        assertNotRenewed(PRIMARY, Phase.STEPPED_DOWN);
    }

    @Test
    void aStandbyWhosePromotionFailedLetsTheKeyItTookLapse() {
        ArbiterSession session = session();
        assertThat(session.claim().taken()).isTrue(); // claimed before promoting; the promotion then failed
        clock.advance(Duration.ofSeconds(2));

        Observation.ArbiterView view = session.observe(() -> ArbiterSession.servesAsPrimary(STANDBY,
                Phase.FAILED), BUDGET);

        assertThat(lease.renewals).isZero();
        assertThat(view.leaderIs("mdw")).isTrue();
        assertThat(view.heldUntil()).as("given up: not this host's lease any more").isEmpty();
    }

    @Test
    void theKeyNamingTheOtherHostShowsTheLeaseThisHostHeldAtItsLastRoundAndNoneOnceItGaveItUp() {
        ArbiterSession serving = session();
        lease.key = Optional.of(new Leader("mdw", 7));
        serving.observe(SERVES, BUDGET);
        lease.key = Optional.of(new Leader("smdw", 9)); // taken after mdw's lease expired (an agent frozen past the ttl)

        assertThat(serving.observe(SERVES, BUDGET).heldUntil()).as("lost: the decision fences").hasValue(START.plusSeconds(5));
        assertThat(serving.observe(SERVES, BUDGET).heldUntil()).as("and only once").isEmpty();

        // a switchover: mdw stops serving (a standby now), its lease lapses, smdw takes the key; later mdw serves again
        ArbiterSession switchedOver = session();
        lease.key = Optional.of(new Leader("mdw", 7));
        switchedOver.observe(SERVES, BUDGET);
        switchedOver.observe(() -> ArbiterSession.servesAsPrimary(STANDBY, Phase.SERVING), BUDGET);
        lease.key = Optional.of(new Leader("smdw", 9));

        assertThat(switchedOver.observe(SERVES, BUDGET).heldUntil()).as("mdw gave that lease up: nothing lost").isEmpty();
    }

    /** A round with the key naming this host and a local view that does not serve: read, never renewed. */
    private void assertNotRenewed(Observation.Local local, Phase phase) {
        ArbiterSession session = session();
        lease.key = Optional.of(new Leader("mdw", 7));
        session.observe(SERVES, BUDGET);
        clock.advance(Duration.ofSeconds(1));

        Observation.ArbiterView view = session.observe(() -> ArbiterSession.servesAsPrimary(local, phase), BUDGET);

        assertThat(lease.renewals).isEqualTo(1);
        assertThat(view.heldUntil()).as("given up: it lapses in etcd by START + 5 s").isEmpty();
        assertThat(view.answered()).isTrue();
        assertThat(view.detail()).contains("not renewed");
    }
}
