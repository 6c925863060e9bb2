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
    WRONG_HOLDER;

    /**
     * @param holders        the configured coordinator hosts that hold the VIP
     * @param actingPrimary  the host whose database is a running primary, or null if none is
     */
    public static VipState of(List<String> holders, String actingPrimary) {
        if (holders.isEmpty()) {
            return NONE;
        }
        if (holders.size() > 1) {
            return BOTH;
        }
        return holders.get(0).equals(actingPrimary) ? OK : WRONG_HOLDER;
    }

    /** The name used in JSON and messages: ok, none, both, wrong_holder. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
