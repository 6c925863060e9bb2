package io.gpfo.state;

import java.util.Locale;

/**
 * The agent's phase (docs/design.md §8). Standby side: watching → suspect → promoting → promoted
 * (or fence_pending while the old coordinator could not be fenced) or failed. Primary side:
 * serving, or stepped_down, which Decision sets on two paths: meeting a primary on a higher timeline
 * (action StepDown), or, with {@code arbiter:}, losing the leader lease (action SelfFence: the key
 * names the peer after this host held it, or etcd does not answer and the lease may end within the
 * fence margin, unless the failsafe holds). Its stopped postmaster keeps it stepped_down, not down.
 * Paused overrides all.
 */
public enum Phase {
    WATCHING, SUSPECT, PAUSED, PROMOTING, PROMOTED, FENCE_PENDING, FAILED, SERVING, STEPPED_DOWN, DOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Phases that say something the rounds cannot see again (a promotion tried or owed, a step down):
     * kept through a pause, which otherwise shows as {@link #PAUSED}.
     */
    public boolean remembered() {
        return switch (this) {
            case PROMOTING, PROMOTED, FENCE_PENDING, FAILED, STEPPED_DOWN -> true;
            case WATCHING, SUSPECT, PAUSED, SERVING, DOWN -> false;
        };
    }

    /** Phases after which this host never promotes again without an operator. */
    public boolean promotionSpent() {
        return this == PROMOTING || this == PROMOTED || this == FENCE_PENDING || this == FAILED;
    }
}
