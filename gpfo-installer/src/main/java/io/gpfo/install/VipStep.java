package io.gpfo.install;

import io.gpfo.config.GpfoConfig;
import io.gpfo.port.StepLog;
import io.gpfo.evidence.EvidenceProbes;
import io.gpfo.vip.VipClaim;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.gpfo.vip.VipControl;
import java.util.ArrayList;
import java.util.List;

/**
 * The VIP at the end of install, and where it is at uninstall. Every question to the hosts
 * (does this host hold it, does the peer, does another host answer ARP for it) is asked here.
 */
public final class VipStep {

    /** What the install's VIP step found or did. */
    public enum Result {
        ALREADY_UP_HERE, LEFT_ON_PEER, BROUGHT_UP, REFUSED, UNKNOWN, FAILED;

        /** Whether the VIP is where install leaves it; otherwise the operator has to bring it up. */
        public boolean ok() {
            return switch (this) {
                case ALREADY_UP_HERE, LEFT_ON_PEER, BROUGHT_UP -> true;
                case REFUSED, UNKNOWN, FAILED -> false;
            };
        }
    }

    private VipStep() {
    }

    /**
     * The VIP comes up here, the coordinator, when the one VIP-claim judgement allows it; where the
     * standby holds it, it is left there.
     */
    static Result upUnlessHeld(InstallPorts ports) {
        GpfoConfig.Vip config = ports.config().vip();
        StepLog log = ports.log();
        String cidr = config.cidr();
        String step = "VIP " + cidr + " up on " + ports.here();
        ExecutorService parallel = Executors.newCachedThreadPool();
        try {
            VipClaim.Facts facts = new EvidenceProbes(ports.access(), ports.sql(), ports.vip(), parallel)
                    .claimFacts(ports.sqlTimeout());
            VipClaim.Verdict verdict = VipClaim.judge(facts);
            return switch (verdict.kind()) {
                case HELD -> {
                    log.ok("unchanged VIP " + cidr + " on " + ports.here() + ": already up");
                    yield Result.ALREADY_UP_HERE;
                }
                case CLAIM -> {
                    ports.vip().upLocally();
                    log.ok(step + " (" + config.label() + "), " + config.arpCount() + " gratuitous ARP sent");
                    yield Result.BROUGHT_UP;
                }
                case REFUSED -> {
                    if (facts.peerVip() == VipClaim.PeerVip.HOLDS) {
                        log.note("the VIP " + cidr + " is on " + ports.peer() + ": left there (gpfo status shows whether that"
                                + " is right)");
                        yield Result.LEFT_ON_PEER;
                    }
                    log.failed(step, verdict.reason() + "; when that is resolved: gpfo vip up");
                    yield Result.REFUSED;
                }
                case UNKNOWN -> {
                    log.failed(step, verdict.reason() + ", so it was not brought up; when that is resolved: gpfo vip up");
                    yield Result.UNKNOWN;
                }
            };
        } catch (VipControl.VipException e) {
            log.failed(step, e.getMessage() + "; then: gpfo vip up");
            return Result.FAILED;
        } finally {
            parallel.shutdownNow();
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
