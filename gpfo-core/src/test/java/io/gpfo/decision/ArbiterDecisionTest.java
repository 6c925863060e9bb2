package io.gpfo.decision;

import static io.gpfo.decision.DecisionTest.AT_THRESHOLD;
import static io.gpfo.decision.DecisionTest.HOST_DOWN;
import static io.gpfo.decision.DecisionTest.NOW;
import static io.gpfo.decision.DecisionTest.PEER_SILENT;
import static io.gpfo.decision.DecisionTest.journal;
import static io.gpfo.decision.DecisionTest.localPrimary;
import static io.gpfo.decision.DecisionTest.localStandby;
import static io.gpfo.decision.DecisionTest.observe;
import static io.gpfo.decision.DecisionTest.peerAnswers;
import static io.gpfo.decision.DecisionTest.primaryDb;
import static io.gpfo.decision.DecisionTest.standbyDb;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.arbiter.LeaderLease.Leader;
import io.gpfo.arbiter.LeaderLease.Reach;
import io.gpfo.config.GpfoConfig;
import io.gpfo.state.Journal;
import io.gpfo.state.Phase;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The arbiter's rules in the decision (ttl 5 s, heartbeat 1 s / 1 s: a primary stops 3 s before its
 * lease can expire): the standby promotes only with the leader key; a primary takes a free key, and
 * stops serving when its lease is lost, unless its standby answers and reaches no etcd either.
 */
class ArbiterDecisionTest {

    static final GpfoConfig ARBITER = DecisionTest.config("witnesses: {hosts: [sdw1, sdw2]}\n"
            + "arbiter: {endpoints: [http://sdw1:2379, http://sdw2:2379, http://sdw3:2379], ttl: 5s}\n");

    static final Leader MDW = new Leader("mdw", 0x11);
    static final Leader SMDW = new Leader("smdw", 0x22);

    static Observation.ArbiterView answered(Optional<Leader> leader, Optional<Instant> heldUntil) {
        return new Observation.ArbiterView(Reach.ANSWERED, leader, heldUntil, NOW, Optional.empty(), Optional.empty(), "");
    }

    /** etcd missed since just after {@code lastAnswered}; the peer's word, if any, written this round. */
    static Observation.ArbiterView unanswered(Reach reach, Optional<Instant> heldUntil, Instant lastAnswered,
            Optional<Reach> peerReach) {
        return unansweredWithWord(reach, heldUntil, lastAnswered, peerReach.map(said -> new Observation.PeerReach(said, NOW)));
    }

    static Observation.ArbiterView unansweredWithWord(Reach reach, Optional<Instant> heldUntil, Instant lastAnswered,
            Optional<Observation.PeerReach> peerWord) {
        return new Observation.ArbiterView(reach, Optional.empty(), heldUntil, lastAnswered,
                Optional.of(lastAnswered.plusMillis(100)), peerWord, "sdw1:2379: cannot connect");
    }

    static Observation with(Observation observation, Observation.ArbiterView arbiter) {
        return new Observation(observation.at(), observation.local(), observation.peer(), observation.deep(), observation.vip(),
                observation.maintenance(), Optional.of(arbiter));
    }

    static Outcome standby(Observation.ArbiterView arbiter) {
        return new Decision(ARBITER, "smdw", "mdw").decide(with(observe(localStandby(), PEER_SILENT, HOST_DOWN, false, null),
                arbiter), AT_THRESHOLD);
    }

    /** mdw serving, its standby streaming (or silent), holding the VIP. */
    static Outcome primary(Observation.Peer peer, Observation.ArbiterView arbiter, Journal journal) {
        return new Decision(ARBITER, "mdw", "smdw").decide(with(observe(localPrimary(1), peer, null, true, false), arbiter),
                journal);
    }

    static final Observation.Peer STANDBY_STREAMS = peerAnswers(standbyDb(0.1));
    static final Journal SERVING = journal(Phase.SERVING, 0);

    // ------------------------------------------------------------------ standby
    @Test
    void withoutAnArbiterSectionTheStandbyPromotesAsToday() {
        Outcome outcome = new Decision(DecisionTest.CONFIG, "smdw", "mdw").decide(observe(localStandby(), PEER_SILENT, HOST_DOWN,
                false, null), AT_THRESHOLD);

        assertThat(outcome.actions()).singleElement().isInstanceOf(Action.Promote.class);
    }

    @Test
    void theStandbyTakesTheFreeKeyThenPromotesInTheSameRound() {
        Outcome outcome = standby(answered(Optional.empty(), Optional.empty()));

        assertThat(outcome.actions()).hasSize(2);
        assertThat(outcome.actions().get(0)).isInstanceOf(Action.ClaimLeader.class);
        assertThat(outcome.actions().get(1)).isInstanceOf(Action.Promote.class);
        assertThat(outcome.journal().phase()).isEqualTo(Phase.PROMOTING);
        assertThat(outcome.reason()).contains("the leader key is free");
    }

    @Test
    void aKeyAlreadyTheStandbysNeedsNoClaim() {
        Outcome outcome = standby(answered(Optional.of(SMDW), Optional.of(NOW.plusSeconds(4))));

        assertThat(outcome.actions()).singleElement().isInstanceOf(Action.Promote.class);
    }

    @Test
    void theCoordinatorsLiveLeaseHoldsThePromotionBackWhateverTheOtherEvidenceSays() {
        Outcome outcome = standby(answered(Optional.of(MDW), Optional.empty()));

        assertThat(outcome.actions()).isEmpty();
        assertThat(outcome.journal().phase()).isEqualTo(Phase.SUSPECT);
        assertThat(outcome.alerts()).extracting(Alert::event).containsExactly(Event.LEASE_HELD);
        assertThat(outcome.reason()).contains("names mdw under a live lease");
    }

    @Test
    void withoutAQuorumTheStandbyDoesNotPromoteAndSaysSo() {
        Outcome noQuorum = standby(unanswered(Reach.NO_QUORUM, Optional.empty(), NOW.minusSeconds(30), Optional.empty()));
        Outcome unreachable = standby(unanswered(Reach.UNREACHABLE, Optional.empty(), NOW.minusSeconds(30), Optional.empty()));

        assertThat(noQuorum.actions()).isEmpty();
        assertThat(noQuorum.alerts()).extracting(Alert::event).containsExactly(Event.ARBITER_NO_QUORUM);
        assertThat(noQuorum.reason()).contains("not promoting without it; 'gpfo promote --force' remains");
        assertThat(unreachable.actions()).isEmpty();
        assertThat(unreachable.alerts()).extracting(Alert::event).containsExactly(Event.ARBITER_UNREACHABLE);
    }

    @Test
    void theViewAskedAgainAfterTheRoundsActionsKeepsWhatTheArbiterSaid() {
        Observation.ArbiterView arbiter = answered(Optional.of(SMDW), Optional.of(NOW.plusSeconds(5)));
        Observation round = with(observe(localStandby(), PEER_SILENT, HOST_DOWN, false, null), arbiter);

        Observation again = round.withLocal(localPrimary(2), true);

        assertThat(again.arbiter()).hasValue(arbiter);
        assertThat(again.vip().heldHere()).isTrue();
    }

    @Test
    void aFailedClaimStopsThePromotionAndTheStandbyWatchesOn() {
        Decision decision = new Decision(ARBITER, "smdw", "mdw");
        Journal promoting = journal(Phase.PROMOTING, 3);

        Decision.AfterAction after = decision.after(new Action.ClaimLeader("free"), new Decision.ActionResult(false, false,
                "the leader key is held by mdw"), promoting, NOW);

        assertThat(after.journal().phase()).isEqualTo(Phase.SUSPECT);
        assertThat(after.journal().activity().lastEvent()).hasValue("could not take the leader key: the leader key is held by mdw");
        assertThat(after.endsRound()).as("the promotion after it is dropped").isTrue();
        Decision.AfterAction taken = decision.after(new Action.ClaimLeader("free"), new Decision.ActionResult(true, false, "taken"),
                promoting, NOW);
        assertThat(taken.journal().phase()).isEqualTo(Phase.PROMOTING);
        assertThat(taken.endsRound()).isFalse();
    }

    @Test
    void aStandbyWhosePromotionFailedNeitherPromotesNorClaimsAgainWithTheKeyItTook() {
        Outcome outcome = new Decision(ARBITER, "smdw", "mdw").decide(with(observe(localStandby(), PEER_SILENT, HOST_DOWN,
                false, null), answered(Optional.of(SMDW), Optional.of(NOW.plusSeconds(3)))), journal(Phase.FAILED, 3));

        assertThat(outcome.actions()).isEmpty();
        assertThat(outcome.journal().phase()).isEqualTo(Phase.FAILED);
    }

    // ------------------------------------------------------------------ primary
    @Test
    void aPrimaryTakesAFreeKeyAndKeepsItsOwn() {
        Outcome free = primary(STANDBY_STREAMS, answered(Optional.empty(), Optional.empty()), SERVING);
        Outcome own = primary(STANDBY_STREAMS, answered(Optional.of(MDW), Optional.of(NOW.plusSeconds(5))), SERVING);

        assertThat(free.actions()).singleElement().isInstanceOf(Action.ClaimLeader.class);
        assertThat(own.actions()).isEmpty();
        assertThat(own.alerts()).isEmpty();
        assertThat(own.journal().phase()).isEqualTo(Phase.SERVING);
    }

    @Test
    void aPrimaryThatNeverHeldTheKeyWhileItNamesThePeerAlertsButServes() {
        Outcome outcome = primary(STANDBY_STREAMS, answered(Optional.of(SMDW), Optional.empty()), SERVING);

        assertThat(outcome.actions()).isEmpty();
        assertThat(outcome.alerts()).extracting(Alert::event).containsExactly(Event.LEADER_ELSEWHERE);
    }

    @Test
    void aPrimaryWhoseKeyWentToThePeerFencesItself() {
        Outcome outcome = primary(STANDBY_STREAMS, answered(Optional.of(SMDW), Optional.of(NOW.minusSeconds(1))), SERVING);

        assertThat(outcome.actions()).singleElement().isInstanceOf(Action.SelfFence.class);
        assertThat(outcome.journal().phase()).isEqualTo(Phase.STEPPED_DOWN);
        assertThat(outcome.alerts()).extracting(Alert::event).containsExactly(Event.LEASE_LOST);
    }

    @Test
    void cutFromEtcdAPrimaryServesOnWhileTheLeaseHoldsWithTheFenceMargin() {
        // held until NOW + 4 s, margin 3 s: stop at NOW + 1 s
        Outcome outcome = primary(PEER_SILENT, unanswered(Reach.UNREACHABLE, Optional.of(NOW.plusSeconds(4)), NOW.minusSeconds(1),
                Optional.empty()), SERVING);

        assertThat(outcome.actions()).isEmpty();
        assertThat(outcome.journal().phase()).isEqualTo(Phase.SERVING);
        assertThat(outcome.alerts()).as("missed for 0.9 s: not yet alerted").isEmpty();
    }

    @Test
    void etcdMissedForOneRoundIsNotAlertedButMissedForLongerThanASlowRoundIs() {
        // an etcd leader lost: the other members answer nothing for an election, about a second
        Outcome blip = primary(PEER_SILENT, unanswered(Reach.NO_QUORUM, Optional.of(NOW.plusSeconds(4)), NOW.minusSeconds(1),
                Optional.empty()), SERVING);
        Outcome outage = primary(PEER_SILENT, unanswered(Reach.NO_QUORUM, Optional.of(NOW.plusSeconds(4)),
                NOW.minusMillis(2100), Optional.empty()), SERVING);
        Outcome standby = standby(unanswered(Reach.UNREACHABLE, Optional.empty(), NOW.minusSeconds(3), Optional.empty()));

        assertThat(blip.alerts()).isEmpty();
        assertThat(outage.alerts()).extracting(Alert::event).containsExactly(Event.ARBITER_NO_QUORUM);
        assertThat(standby.alerts()).extracting(Alert::event).contains(Event.ARBITER_UNREACHABLE);
        assertThat(standby.actions()).isEmpty();
    }

    @Test
    void cutFromEtcdAndFromItsStandbyAPrimaryStopsTwoIntervalsAndOneTimeoutBeforeTheLeaseCanExpire() {
        Outcome outcome = primary(PEER_SILENT, unanswered(Reach.UNREACHABLE, Optional.of(NOW.plusSeconds(3)), NOW.minusSeconds(2),
                Optional.empty()), SERVING);

        assertThat(outcome.actions()).singleElement().isInstanceOf(Action.SelfFence.class);
        assertThat(outcome.journal().phase()).isEqualTo(Phase.STEPPED_DOWN);
        assertThat(outcome.alerts()).extracting(Alert::event).contains(Event.LEASE_LOST);
        assertThat(outcome.reason()).contains("could not renew its lease").contains("smdw does not answer");
    }

    @Test
    void aStandbyThatReachesEtcdDoesNotVouchForThePrimary() {
        Outcome outcome = primary(STANDBY_STREAMS, unanswered(Reach.UNREACHABLE, Optional.of(NOW.plusSeconds(2)),
                NOW.minusSeconds(3), Optional.of(Reach.ANSWERED)), SERVING);

        assertThat(outcome.actions()).singleElement().isInstanceOf(Action.SelfFence.class);
        assertThat(outcome.reason()).contains("smdw reaches etcd");
    }

    @Test
    void failsafeAPrimaryWhoseStandbyReachesNoEtcdEitherServesOn() {
        for (Reach peerReach : new Reach[] {Reach.UNREACHABLE, Reach.NO_QUORUM}) {
            Outcome outcome = primary(STANDBY_STREAMS, unanswered(Reach.NO_QUORUM, Optional.of(NOW.minusSeconds(10)),
                    NOW.minusSeconds(15), Optional.of(peerReach)), SERVING);

            assertThat(outcome.actions()).as("peer %s", peerReach).isEmpty();
            assertThat(outcome.journal().phase()).isEqualTo(Phase.SERVING);
            assertThat(outcome.alerts()).extracting(Alert::event).contains(Event.ARBITER_FAILSAFE, Event.ARBITER_NO_QUORUM);
        }
    }

    @Test
    void aStandbyThatAnswersButHasNotToldItsReachGetsOneMoreRoundWhileTheLeaseHoldsByARoundAndATimeout() {
        // held until NOW + 3 s: past the fence margin (3 s), before the last chance (2 s before expiry)
        Outcome askAgain = primary(STANDBY_STREAMS, unanswered(Reach.NO_QUORUM, Optional.of(NOW.plusSeconds(3)),
                NOW.minusSeconds(2), Optional.empty()), SERVING);
        // held until NOW + 2 s: the last chance is now
        Outcome stop = primary(STANDBY_STREAMS, unanswered(Reach.NO_QUORUM, Optional.of(NOW.plusSeconds(2)),
                NOW.minusSeconds(3), Optional.empty()), SERVING);

        assertThat(askAgain.actions()).isEmpty();
        assertThat(askAgain.journal().phase()).isEqualTo(Phase.SERVING);
        assertThat(askAgain.alerts()).isEmpty();
        assertThat(stop.actions()).singleElement().isInstanceOf(Action.SelfFence.class);
        assertThat(stop.reason()).contains("smdw has not said whether it reaches etcd since mdw lost it");
    }

    @Test
    void aStandbysAnsweredWrittenBeforeThisHostMissedEtcdIsNotKnownYetButOneWrittenAfterIs() {
        Instant missedSince = NOW.minusSeconds(2).plusMillis(100);
        Observation.PeerReach before = new Observation.PeerReach(Reach.ANSWERED, missedSince.minusMillis(300));
        Observation.PeerReach after = new Observation.PeerReach(Reach.ANSWERED, missedSince.plusMillis(300));
        // held until NOW + 3 s: past the fence margin, before the last chance
        Outcome oldWord = primary(STANDBY_STREAMS, unansweredWithWord(Reach.NO_QUORUM, Optional.of(NOW.plusSeconds(3)),
                NOW.minusSeconds(2), Optional.of(before)), SERVING);
        Outcome newWord = primary(STANDBY_STREAMS, unansweredWithWord(Reach.NO_QUORUM, Optional.of(NOW.plusSeconds(3)),
                NOW.minusSeconds(2), Optional.of(after)), SERVING);
        Outcome oldWordAtTheLastChance = primary(STANDBY_STREAMS, unansweredWithWord(Reach.NO_QUORUM,
                Optional.of(NOW.plusSeconds(2)), NOW.minusSeconds(2), Optional.of(before)), SERVING);

        assertThat(oldWord.actions()).isEmpty();
        assertThat(newWord.actions()).singleElement().isInstanceOf(Action.SelfFence.class);
        assertThat(newWord.reason()).contains("smdw reaches etcd");
        assertThat(oldWordAtTheLastChance.actions()).singleElement().isInstanceOf(Action.SelfFence.class);
        assertThat(oldWordAtTheLastChance.reason()).contains("smdw has not said whether it reaches etcd since mdw lost it");
    }

    @Test
    void failsafeNeedsTheStandbyToAnswerAndItsReachToBeKnown() {
        Outcome unknownReach = primary(STANDBY_STREAMS, unanswered(Reach.UNREACHABLE, Optional.of(NOW.minusSeconds(1)),
                NOW.minusSeconds(6), Optional.empty()), SERVING);

        assertThat(unknownReach.actions()).singleElement().isInstanceOf(Action.SelfFence.class);
    }

    @Test
    void afterARestartWithoutEtcdTheLeaseCountsFromTheLastAnswerOrTheStart() {
        // no lease confirmed in this agent's life: one it held before may last until lastAnswered + ttl
        Outcome early = primary(PEER_SILENT, unanswered(Reach.UNREACHABLE, Optional.empty(), NOW.minusSeconds(1),
                Optional.empty()), SERVING);
        Outcome late = primary(PEER_SILENT, unanswered(Reach.UNREACHABLE, Optional.empty(), NOW.minusSeconds(2),
                Optional.empty()), SERVING);

        assertThat(early.actions()).isEmpty();
        assertThat(late.actions()).singleElement().isInstanceOf(Action.SelfFence.class);
    }

    @Test
    void aFenceThatDidNotWorkIsRetriedEveryRoundWithoutANewLeaseLostAlertButTheFailureAlerts() {
        Journal steppedDown = journal(Phase.STEPPED_DOWN, 0);
        Outcome again = primary(PEER_SILENT, unanswered(Reach.UNREACHABLE, Optional.of(NOW.minusSeconds(5)), NOW.minusSeconds(10),
                Optional.empty()), steppedDown);

        assertThat(again.actions()).singleElement().isInstanceOf(Action.SelfFence.class);
        assertThat(again.alerts()).extracting(Alert::event).doesNotContain(Event.LEASE_LOST);

        Decision decision = new Decision(ARBITER, "mdw", "smdw");
        assertThat(decision.after(new Action.SelfFence("lost"), new Decision.ActionResult(false, false, "sudo refused"),
                steppedDown, NOW).alerts()).extracting(Alert::event).containsExactly(Event.LEASE_LOST);
        assertThat(decision.after(new Action.SelfFence("lost"), new Decision.ActionResult(true, false, "VIP removed"),
                steppedDown, NOW).alerts()).extracting(Alert::event).containsExactly(Event.SELF_FENCED);
    }

    @Test
    void aHostThatSteppedDownButStillServesIsFencedAgainWhileEtcdAnswersWhoeverTheKeyNames() {
        Journal steppedDown = journal(Phase.STEPPED_DOWN, 0);
        for (Observation.ArbiterView view : java.util.List.of(answered(Optional.of(SMDW), Optional.empty()),
                answered(Optional.empty(), Optional.empty()), answered(Optional.of(MDW), Optional.empty()))) {
            Outcome again = primary(PEER_SILENT, view, steppedDown);

            assertThat(again.actions()).as("key %s: fenced again, never takes the key back", view.leader()).singleElement()
                    .isInstanceOf(Action.SelfFence.class);
            assertThat(again.journal().phase()).isEqualTo(Phase.STEPPED_DOWN);
            assertThat(again.alerts()).extracting(Alert::event).doesNotContain(Event.LEASE_LOST);
        }
    }

    @Test
    void aPrimaryOnANewerTimelineStillStepsDownTheOldOneFirst() {
        Outcome outcome = primary(peerAnswers(primaryDb(2, false)), answered(Optional.of(MDW), Optional.of(NOW.plusSeconds(5))),
                SERVING);

        assertThat(outcome.actions()).singleElement().isInstanceOf(Action.StepDown.class);
    }
}
