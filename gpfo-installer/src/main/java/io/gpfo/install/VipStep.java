package io.gpfo.install;

import io.gpfo.config.GpfoConfig;
import io.gpfo.port.StepLog;
import io.gpfo.vip.DuplicateProbe;
import io.gpfo.vip.VipControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The VIP at the end of install, and where it is at uninstall. Every question to the hosts
 * (does this host hold it, does the peer, does another host answer ARP for it) is asked here.
 */
public final class VipStep {

    /** What the install's VIP step found or did. */
    public enum Result {
        ALREADY_UP_HERE, LEFT_ON_PEER, BROUGHT_UP, PEER_UNKNOWN, ANOTHER_HOST_ANSWERS, FAILED;

        /** Whether the VIP is where install leaves it; otherwise the operator has to bring it up. */
        public boolean ok() {
            return switch (this) {
                case ALREADY_UP_HERE, LEFT_ON_PEER, BROUGHT_UP -> true;
                case PEER_UNKNOWN, ANOTHER_HOST_ANSWERS, FAILED -> false;
            };
        }
    }

    private VipStep() {
    }

    /** The VIP comes up here, the coordinator, when no host holds it. */
    static Result upUnlessHeld(VipControl vip, GpfoConfig.Vip config, StepLog log, String here, String standby) {
        String cidr = config.cidr();
        try {
            if (vip.heldLocally()) {
                log.ok("unchanged VIP " + cidr + " on " + here + ": already up");
                return Result.ALREADY_UP_HERE;
            }
            Optional<Boolean> onPeer = vip.heldBy(standby);
            if (onPeer.isEmpty()) {
                log.failed("VIP " + cidr + " up on " + here, "cannot ask " + standby + " whether it holds the VIP, so it was"
                        + " not brought up; when " + standby + " answers: gpfo vip up");
                return Result.PEER_UNKNOWN;
            }
            if (onPeer.get()) {
                log.note("the VIP " + cidr + " is on " + standby + ": left there (gpfo status shows whether that is right)");
                return Result.LEFT_ON_PEER;
            }
            DuplicateProbe probe = vip.duplicateCheck();
            if (probe.answered()) {
                log.failed("VIP " + cidr + " up on " + here, "another host (" + probe.replierMac().orElse("unknown MAC")
                        + ") answers ARP for " + config.address() + "; find and remove it, then: gpfo vip up");
                return Result.ANOTHER_HOST_ANSWERS;
            }
            vip.upLocally();
            log.ok("VIP " + cidr + " up on " + here + " (" + config.label() + "), " + config.arpCount()
                    + " gratuitous ARP sent");
            return Result.BROUGHT_UP;
        } catch (VipControl.VipException e) {
            log.failed("VIP " + cidr + " up on " + here, e.getMessage() + "; then: gpfo vip up");
            return Result.FAILED;
        }
    }

    /** Which hosts hold the VIP, for the operator: "on mdw", "on no host", "on mdw, smdw?" (? = could not ask). */
    static String holders(VipControl vip, String here, String peer) {
        List<String> holders = new ArrayList<>();
        try {
            if (vip.heldLocally()) {
                holders.add(here);
            }
        } catch (VipControl.VipException e) {
            holders.add(here + "?");
        }
        vip.heldBy(peer).ifPresentOrElse(held -> {
            if (held) {
                holders.add(peer);
            }
        }, () -> holders.add(peer + "?"));
        return holders.isEmpty() ? "on no host" : "on " + String.join(", ", holders);
    }
}
