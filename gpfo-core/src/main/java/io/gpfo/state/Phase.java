package io.gpfo.state;

import java.util.Locale;

/**
 * The agent's phase (design.md §8). Standby side: watching → suspect → promoting → promoted
 * (or fence_pending while the old coordinator could not be fenced) or failed. Primary side:
 * serving, or stepped_down after meeting a primary on a higher timeline. Paused overrides all.
 */
public enum Phase {
    WATCHING, SUSPECT, PAUSED, PROMOTING, PROMOTED, FENCE_PENDING, FAILED, SERVING, STEPPED_DOWN, DOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Phases after which this host never promotes again without an operator. */
    public boolean promotionSpent() {
        return this == PROMOTING || this == PROMOTED || this == FENCE_PENDING || this == FAILED;
    }
}
