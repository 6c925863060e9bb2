package io.gpfo.vip;

import io.gpfo.node.Role;
import java.util.Optional;

/**
 * The one answer to "may this host claim the VIP?", used by every path that brings it up: the
 * agent's decision, {@code gpfo vip up}, the promotion and the installer. Pure: the callers
 * gather the facts (each in its own way), this judges them the same way for all.
 *
 * <p>A fact that could not be established is never taken as a yes: the verdict is then
 * {@link Kind#UNKNOWN} and nothing is claimed.
 */
public final class VipClaim {

    private VipClaim() {
    }

    /** Whether the peer holds the VIP, as far as it could be asked. */
    public enum PeerVip {
        HOLDS, FREE, UNKNOWN
    }

    /** Whether the peer may be serving as a primary. */
    public enum PeerRole {
        PRIMARY, NOT_PRIMARY, UNKNOWN
    }

    /**
     * @param localRole this host's database role, from SQL
     * @param heldHere  this host already has the VIP
     * @param arp       a duplicate-address probe of the VIP from this host; empty when none was taken
     */
    public record Facts(String peerHost, Role localRole, boolean heldHere, PeerVip peerVip, PeerRole peerRole,
            Optional<DuplicateProbe> arp) {
    }

    public enum Kind {
        /** Bring it up (and announce it). */
        CLAIM,
        /** This host has it already. */
        HELD,
        /** Another holder or primary exists: claiming would make two. */
        REFUSED,
        /** A fact needed to be sure could not be established. */
        UNKNOWN
    }

    public record Verdict(Kind kind, String reason) {
        public boolean claim() {
            return kind == Kind.CLAIM;
        }
    }

    public static Verdict judge(Facts facts) {
        String peer = facts.peerHost();
        if (facts.peerVip() == PeerVip.HOLDS) {
            return new Verdict(Kind.REFUSED, peer + " holds the VIP");
        }
        if (facts.localRole() != Role.PRIMARY) {
            return new Verdict(Kind.REFUSED, "this host's database is " + describe(facts.localRole())
                    + ": only the acting primary may hold the VIP");
        }
        if (facts.heldHere()) {
            return new Verdict(Kind.HELD, "this host holds the VIP already");
        }
        if (facts.peerRole() == PeerRole.PRIMARY) {
            return new Verdict(Kind.REFUSED, peer + " is a primary too: two coordinators, touching nothing");
        }
        Optional<DuplicateProbe> arp = facts.arp();
        if (arp.map(DuplicateProbe::answered).orElse(false)) {
            return new Verdict(Kind.REFUSED, "another host (" + arp.get().replierMac().orElse("unknown MAC")
                    + ") answers ARP for the VIP");
        }
        if (arp.isEmpty()) {
            return new Verdict(Kind.UNKNOWN, "no ARP probe of the VIP could be taken from this host");
        }
        if (facts.peerRole() == PeerRole.UNKNOWN) {
            return new Verdict(Kind.UNKNOWN, "cannot establish that " + peer + " is not a primary");
        }
        // the peer could not be asked over SSH, but nobody on the segment answers ARP for the VIP:
        // nobody holds it where clients could reach it
        String peerVip = facts.peerVip() == PeerVip.FREE ? peer + " does not hold it"
                : peer + " could not be asked, nobody answers ARP for it";
        return new Verdict(Kind.CLAIM, "this host is the acting primary, " + peer + " is not a primary, " + peerVip);
    }

    private static String describe(Role role) {
        return switch (role) {
            case PRIMARY -> "the primary";
            case STANDBY -> "a standby";
            case DOWN -> "not running";
            case UNKNOWN -> "not answering";
        };
    }
}
