package io.gpfo.agent;

import io.gpfo.decision.Action;
import io.gpfo.decision.Alert;
import io.gpfo.decision.Decision;
import io.gpfo.decision.Observation;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.Postmasters;
import io.gpfo.promote.PromotionEvidence;
import io.gpfo.promote.PromotionOutcome;
import io.gpfo.promote.Promoter;
import io.gpfo.ssh.SshException;
import io.gpfo.state.Journal;
import io.gpfo.vip.VipControl;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Carries out the decision's actions with the same code as the manual commands (one promotion
 * path, not two) and records in the journal what came of them. No decisions here.
 */
final class Executor {

    private final NodeAccess access;
    private final VipControl vip;
    private final Postmasters postmasters;
    private final Promoter promoter;

    Executor(NodeAccess access, VipControl vip, Promoter promoter) {
        this.access = access;
        this.vip = vip;
        this.postmasters = new Postmasters(access);
        this.promoter = promoter;
    }

    /** Runs one action; returns the journal with its result recorded and a line for the log. */
    Result run(Action action, Observation observation, Journal journal, Instant now) {
        String peerHost = access.host(access.local().peer());
        if (action instanceof Action.Promote) {
            return promote(observation, journal, peerHost, now);
        }
        if (action instanceof Action.FencePeer) {
            String detail = fencePeer(peerHost);
            boolean fenced = detail.startsWith("fenced");
            Optional<Alert> alert = fenced ? Optional.of(new Alert(null, Alert.Severity.CRITICAL, "old-coordinator-fenced",
                    "the old coordinator " + peerHost + " came back and was fenced (" + detail + "); re-add it as a standby with"
                            + " gpinitstandby")) : Optional.empty();
            return new Result(Decision.afterFence(journal, fenced, detail, now), detail, alert);
        }
        if (action instanceof Action.VipUp up) {
            try {
                vip.upLocally();
                return new Result(journal.withEvent("VIP claimed: " + up.why(), now), "VIP up: " + up.why());
            } catch (RuntimeException e) {
                return new Result(journal.withEvent("VIP claim failed: " + e.getMessage(), now), "VIP up failed: " + e.getMessage());
            }
        }
        String detail = stepDown();
        return new Result(journal.withEvent("stepped down: " + detail, now), "stepped down: " + detail);
    }

    /** The journal with the action's result, a line for the log, and an alert when operators must know. */
    record Result(Journal journal, String log, Optional<Alert> alert) {
        Result(Journal journal, String log) {
            this(journal, log, Optional.empty());
        }
    }

    private Result promote(Observation observation, Journal journal, String peerHost, Instant now) {
        Observation.Deep deep = observation.deep().orElseThrow();
        PromotionEvidence evidence = new PromotionEvidence(peerHost, observation.local().status(), observation.local().detail(),
                observation.peer().status(), deep.inspection(), deep.sshError(), deep.vipProbe(),
                journal.lastLagBytes() == null ? OptionalLong.empty() : OptionalLong.of(journal.lastLagBytes()));
        PromotionOutcome outcome = promoter.execute(evidence, false);
        boolean promoted = outcome.result() == PromotionOutcome.Result.PROMOTED
                || outcome.result() == PromotionOutcome.Result.PROMOTED_WITHOUT_VIP;
        return new Result(Decision.afterPromotion(journal, promoted, outcome.peerFenced(), peerHost, outcome.message(), now),
                (promoted ? "promoted: " : "promotion failed: ") + outcome.message());
    }

    private String fencePeer(String peerHost) {
        try {
            vip.downOn(peerHost);
            Postmasters.Fence fence = postmasters.fence(access.local().peer());
            return fence.done() ? "fenced " + peerHost + ": VIP removed, " + fence.detail() : "fence of " + peerHost
                    + " failed: " + fence.detail();
        } catch (SshException | RuntimeException e) {
            return "fence of " + peerHost + " failed: " + e.getMessage();
        }
    }

    private String stepDown() {
        StringBuilder detail = new StringBuilder();
        try {
            vip.downLocally();
            detail.append("VIP removed");
        } catch (RuntimeException e) {
            detail.append("VIP removal failed (").append(e.getMessage()).append(')');
        }
        try {
            Postmasters.Fence fence = postmasters.fence(access.local());
            detail.append(fence.done() ? ", postmaster stopped (" + fence.detail() + ")" : ", stopping the postmaster failed: " + fence.detail());
        } catch (SshException | RuntimeException e) {
            detail.append(", stopping the postmaster failed: ").append(e.getMessage());
        }
        return detail.toString();
    }
}
