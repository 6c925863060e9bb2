package io.gpfo.node;

import java.util.Locale;

/** A coordinator host's database role (docs/design.md §2): found each round, never configured. */
public enum Role {
    /** Running and not in recovery: serves as coordinator. */
    PRIMARY,
    /** Running and in recovery: a standby. */
    STANDBY,
    /** No postmaster runs. */
    DOWN,
    /** Cannot tell: unreachable, or a postmaster that does not answer. */
    UNKNOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
