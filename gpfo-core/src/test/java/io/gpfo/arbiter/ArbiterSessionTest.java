package io.gpfo.arbiter;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.arbiter.LeaderLease.Leader;
import io.gpfo.arbiter.LeaderLease.Reach;
import io.gpfo.decision.Observation;
import io.gpfo.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArbiterSessionTest {

    private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path state;

    private final FakeLeaderLease lease = new FakeLeaderLease();
    private final FakeClock clock = new FakeClock(START);
    private final List<Duration> peerAsked = new ArrayList<>();

    private ArbiterSession session() {
        return new ArbiterSession(lease, "mdw", Duration.ofSeconds(5), Duration.ofSeconds(1), state, timeout -> {
            peerAsked.add(timeout);
            return Optional.of(Reach.UNREACHABLE);
        }, clock);
    }

    @Test
    void itsOwnKeyIsRenewedEachRoundAndHeldFromBeforeTheCall() {
        ArbiterSession session = session();
        lease.key = Optional.of(new Leader("mdw", 7));
        clock.advance(Duration.ofSeconds(3));

        Observation.ArbiterView view = session.observe(Optional.empty());

        assertThat(lease.renewals).isEqualTo(1);
        assertThat(view.heldUntil()).hasValue(START.plusSeconds(8));
        assertThat(view.leaderIs("mdw")).isTrue();
        assertThat(view.lastAnswered()).isEqualTo(START.plusSeconds(3));
    }

    @Test
    void anotherHostsKeyIsReadNotRenewed() {
        ArbiterSession session = session();
        lease.key = Optional.of(new Leader("smdw", 8));

        Observation.ArbiterView view = session.observe(Optional.empty());

        assertThat(lease.renewals).isZero();
        assertThat(view.heldUntil()).isEmpty();
        assertThat(view.leader()).hasValue(new Leader("smdw", 8));
    }

    @Test
    void aLeaseThatExpiredBetweenReadAndRenewalLeavesNoLeader() {
        ArbiterSession session = session();
        lease.key = Optional.of(new Leader("mdw", 7));
        lease.ttlLeft = 0;

        Observation.ArbiterView view = session.observe(Optional.empty());

        assertThat(view.leader()).isEmpty();
        assertThat(view.answered()).isTrue();
    }

    @Test
    void whenEtcdIsCutTheLastConfirmedLeaseAndAnswerStay() throws Exception {
        ArbiterSession session = session();
        lease.key = Optional.of(new Leader("mdw", 7));
        session.observe(Optional.empty());
        lease.reach = Reach.NO_QUORUM;
        clock.advance(Duration.ofSeconds(2));

        Observation.ArbiterView view = session.observe(Optional.of(Reach.UNREACHABLE));

        assertThat(view.reach()).isEqualTo(Reach.NO_QUORUM);
        assertThat(view.heldUntil()).hasValue(START.plusSeconds(5));
        assertThat(view.lastAnswered()).isEqualTo(START);
        assertThat(view.peerReach()).hasValue(Reach.UNREACHABLE);
        assertThat(Files.readString(state.resolve(ArbiterSession.REACH_FILE))).isEqualTo("NO_QUORUM\n");
        assertThat(session.unanswered("late").heldUntil()).hasValue(START.plusSeconds(5));
        assertThat(session.unanswered("late").reach()).isEqualTo(Reach.UNREACHABLE);
    }

    @Test
    void thePeerIsAskedOnlyWhileThisHostDoesNotReachEtcd() {
        ArbiterSession session = session();
        session.observe(Optional.empty());
        assertThat(session.peerReach()).isEmpty();
        assertThat(peerAsked).isEmpty();

        lease.reach = Reach.UNREACHABLE;
        session.observe(Optional.empty());

        assertThat(session.peerReach()).hasValue(Reach.UNREACHABLE);
        assertThat(peerAsked).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aClaimHoldsTheLeaseFromBeforeTheCallAndAHeldKeyIsNotTaken() {
        ArbiterSession session = session();

        LeaderLease.Claim claim = session.claim();
        Observation.ArbiterView view = session.observe(Optional.empty());

        assertThat(claim.taken()).isTrue();
        assertThat(view.heldUntil()).hasValue(START.plusSeconds(5));
        lease.key = Optional.of(new Leader("smdw", 9));
        assertThat(session.claim().taken()).isFalse();
    }

    @Test
    void theReachFileIsOneWordReadStrictly() throws Exception {
        ArbiterSession session = session();
        session.observe(Optional.empty());

        assertThat(Files.readString(state.resolve(ArbiterSession.REACH_FILE))).isEqualTo("ANSWERED\n");
        assertThat(ArbiterSession.parseReach("UNREACHABLE\n")).hasValue(Reach.UNREACHABLE);
        assertThat(ArbiterSession.parseReach("unreachable")).isEmpty();
        assertThat(ArbiterSession.parseReach("")).isEmpty();
    }
}
