package io.gpfo.vip;

import java.util.List;
import java.util.Locale;

/** Where the VIP is, judged against which host is the acting primary (docs/design.md §5). */
public enum VipState {
    /** Only the acting primary holds it. */
    OK,
    /** Nobody holds it: clients cannot connect. */
    NONE,
    /** Both coordinator hosts hold it: clients reach either one at random. */
    BOTH,
    /** One host holds it, but not the acting primary (or no primary is known). */
    WRONG_HOLDER,
    /** A host that may hold it could not be asked: where the VIP is cannot be said. */
    UNKNOWN;

    /**
     * @param holders        the configured coordinator hosts that hold the VIP
     * @param unasked        how many coordinator hosts could not be asked
     * @param actingPrimary  the host whose database is a running primary, or null if none is
     */
    public static VipState of(List<String> holders, int unasked, String actingPrimary) {
        if (holders.size() > 1) {
            return BOTH;
        }
        if (unasked > 0) {
            // the one not asked may hold it too: "ok" or "none" would be a guess
            return UNKNOWN;
        }
        if (holders.isEmpty()) {
            return NONE;
        }
        return holders.get(0).equals(actingPrimary) ? OK : WRONG_HOLDER;
    }

    /** The name used in JSON and messages: ok, none, both, wrong_holder, unknown. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
