package io.gpfo.agent;

import io.gpfo.arbiter.ArbiterSession;
import io.gpfo.arbiter.LeaderLease;
import io.gpfo.decision.Action;
import io.gpfo.decision.Decision.ActionResult;
import io.gpfo.decision.Observation;
import io.gpfo.fence.Fencing;
import io.gpfo.node.NodeAccess;
import io.gpfo.promote.PromotionEvidence;
import io.gpfo.promote.PromotionOutcome;
import io.gpfo.promote.Promoter;
import io.gpfo.state.Journal;
import io.gpfo.vip.VipControl;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Carries out the decision's actions with the same code as the manual commands (one promotion
 * path, one fence routine): it reports what came of them, and the decision says what that means. No decisions here.
 */
final class Executor {

    private final NodeAccess access;
    private final VipControl vip;
    private final Fencing fencing;
    private final Promoter promoter;
    private final Optional<ArbiterSession> arbiter;

    Executor(NodeAccess access, VipControl vip, Fencing fencing, Promoter promoter) {
        this(access, vip, fencing, promoter, Optional.empty());
    }

    Executor(NodeAccess access, VipControl vip, Fencing fencing, Promoter promoter, Optional<ArbiterSession> arbiter) {
        this.access = access;
        this.vip = vip;
        this.fencing = fencing;
        this.promoter = promoter;
        this.arbiter = arbiter;
    }

    /**
     * Runs one action and reports what came of it, keeping this host's leader lease alive meanwhile where the
     * action says so ({@link Action#keepsLeaderLease}).
     */
    ActionResult run(Action action, Observation observation, Journal journal, Duration renewEvery) {
        return action.keepsLeaderLease() && arbiter.isPresent()
                ? arbiter.get().renewingDuring(() -> carryOut(action, observation, journal), renewEvery)
                : carryOut(action, observation, journal);
    }

    /** Every kind of action is named here, so a new one does not compile until it is carried out. */
    private ActionResult carryOut(Action action, Observation observation, Journal journal) {
        String peerHost = access.host(access.local().peer());
        return action.accept(new Action.Handler<ActionResult>() {
            @Override
            public ActionResult promote(Action.Promote promote) {
                PromotionOutcome outcome = promoter.execute(evidence(observation, journal, peerHost), false);
                return new ActionResult(outcome.promoted(), outcome.peerFenced(), outcome.message());
            }

            @Override
            public ActionResult fencePeer(Action.FencePeer fence) {
                Fencing.Report report = fencing.fence(access.local().peer());
                return new ActionResult(report.fenced(), report.fenced(), report.describe());
            }

            @Override
            public ActionResult vipUp(Action.VipUp up) {
                try {
                    vip.upLocally();
                    return new ActionResult(true, false, up.why());
                } catch (VipControl.VipException e) {
                    return new ActionResult(false, false, e.getMessage());
                }
            }

            @Override
            public ActionResult stepDown(Action.StepDown down) {
                return fenceSelf();
            }

            @Override
            public ActionResult claimLeader(Action.ClaimLeader claim) {
                if (arbiter.isEmpty()) {
                    return new ActionResult(false, false, "no arbiter is configured");
                }
                LeaderLease.Claim result = arbiter.get().claim();
                return new ActionResult(result.taken(), false, result.taken() ? "the leader key names " + access.host(
                        access.local()) + " under lease " + Long.toHexString(result.leader().orElseThrow().leaseId())
                        : "etcd " + result.reach().label() + ": " + result.detail());
            }

            @Override
            public ActionResult selfFence(Action.SelfFence fence) {
                return fenceSelf();
            }
        });
    }

    /** The same fence routine as for the peer, on this host: VIP dropped, postmaster stopped. */
    private ActionResult fenceSelf() {
        Fencing.Report report = fencing.fence(access.local());
        return new ActionResult(report.fenced(), false, report.describe());
    }

    /** The round's observation as the promotion's evidence: the same facts the decision judged. */
    private static PromotionEvidence evidence(Observation observation, Journal journal, String peerHost) {
        Observation.Deep deep = observation.deep().orElseThrow(() -> new IllegalStateException(
                "a promotion was decided without deep evidence"));
        OptionalLong lag = journal.health().lastLagBytes();
        return new PromotionEvidence(peerHost, observation.local().status(), observation.local().detail(),
                observation.peer().status(), deep.inspection(), deep.sshError(), deep.vipProbe(), lag);
    }
}
