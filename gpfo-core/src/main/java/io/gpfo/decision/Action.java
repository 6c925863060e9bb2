package io.gpfo.decision;

/** What the decision asks the executors to do; the decision itself never does I/O. */
public sealed interface Action {

    /** Run the promotion (fencing first where the old coordinator is reachable). */
    record Promote(String evidence) implements Action {
    }

    /** Remove the old coordinator's VIP and stop its postmaster, now that it can be reached. */
    record FencePeer(String why) implements Action {
    }

    /** Claim the VIP: this host is the acting primary and nobody holds it. */
    record VipUp(String why) implements Action {
    }

    /** Step down: drop the VIP and stop this host's postmaster; a newer primary exists. */
    record StepDown(String why) implements Action {
    }
}
