package io.gpfo.decision;

/**
 * What the decision asks the executors to do; the decision itself never does I/O.
 *
 * <p>Dispatch goes through {@link Handler}: one method per action, so a new action does not
 * compile until every handler carries it out (gpfo builds for Java 17, where a pattern-matching
 * switch over a sealed type is only a preview).
 */
public sealed interface Action {

    <R> R accept(Handler<R> handler);

    /** The action's name in logs and the event log: {@code promote}, {@code fence-peer}, … */
    default String name() {
        return accept(new Handler<String>() {
            @Override
            public String promote(Promote action) {
                return "promote";
            }

            @Override
            public String fencePeer(FencePeer action) {
                return "fence-peer";
            }

            @Override
            public String vipUp(VipUp action) {
                return "vip-up";
            }

            @Override
            public String stepDown(StepDown action) {
                return "step-down";
            }

            @Override
            public String claimLeader(ClaimLeader action) {
                return "claim-leader";
            }

            @Override
            public String selfFence(SelfFence action) {
                return "self-fence";
            }
        });
    }

    /**
     * Whether this host's leader lease, when it holds one, is kept alive while the action runs. A promotion
     * (and the fence and VIP that are part of it) may run longer than {@code arbiter.ttl}: the key the standby
     * took for it must not lapse midway. Stepping down and fencing itself are how a host gives the key up.
     */
    default boolean keepsLeaderLease() {
        return accept(new Handler<Boolean>() {
            @Override
            public Boolean promote(Promote action) {
                return true;
            }

            @Override
            public Boolean fencePeer(FencePeer action) {
                return true;
            }

            @Override
            public Boolean vipUp(VipUp action) {
                return true;
            }

            @Override
            public Boolean stepDown(StepDown action) {
                return false;
            }

            @Override
            public Boolean claimLeader(ClaimLeader action) {
                return false; // the claim starts its own lease
            }

            @Override
            public Boolean selfFence(SelfFence action) {
                return false;
            }
        });
    }

    /** Carries out (or names, or renders) each kind of action. */
    interface Handler<R> {
        R promote(Promote action);

        R fencePeer(FencePeer action);

        R vipUp(VipUp action);

        R stepDown(StepDown action);

        R claimLeader(ClaimLeader action);

        R selfFence(SelfFence action);
    }

    /** Run the promotion (fencing first where the old coordinator is reachable). */
    record Promote(String evidence) implements Action {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.promote(this);
        }
    }

    /** Remove the old coordinator's VIP and stop its postmaster, now that it can be reached. */
    record FencePeer(String why) implements Action {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.fencePeer(this);
        }
    }

    /** Claim the VIP: the VIP-claim judgement allowed it this round. */
    record VipUp(String why) implements Action {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.vipUp(this);
        }
    }

    /** Step down: drop the VIP and stop this host's postmaster; a newer primary exists. */
    record StepDown(String why) implements Action {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.stepDown(this);
        }
    }

    /** Take the arbiter's leader key for this host, only if it is free (the old lease expired). */
    record ClaimLeader(String why) implements Action {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.claimLeader(this);
        }
    }

    /** Stop serving: drop the VIP and stop this host's postmaster; this primary's lease is lost. */
    record SelfFence(String why) implements Action {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.selfFence(this);
        }
    }
}
