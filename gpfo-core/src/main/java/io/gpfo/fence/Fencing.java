package io.gpfo.fence;

import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.node.PostmasterFence;
import io.gpfo.node.Postmasters;
import io.gpfo.ssh.SshException;
import io.gpfo.vip.VipControl;
import java.util.Optional;

/**
 * The one fence routine, for every path that must stop a coordinator from serving: the promotion
 * (the old coordinator, before gpactivatestandby), a fence owed since the promotion, and a step
 * down (this host). The VIP goes first, so clients stop arriving, then the postmaster.
 */
public final class Fencing {

    private final NodeAccess access;
    private final VipControl vip;
    private final Postmasters postmasters;

    public Fencing(NodeAccess access, VipControl vip) {
        this.access = access;
        this.vip = vip;
        this.postmasters = new Postmasters(access);
    }

    public Report fence(NodeName node) {
        String host = access.host(node);
        Optional<String> vipFailure;
        try {
            if (node == access.local()) {
                vip.downLocally();
            } else {
                vip.downOn(host);
            }
            vipFailure = Optional.empty();
        } catch (SshException | RuntimeException e) {
            vipFailure = Optional.of(String.valueOf(e.getMessage()));
        }
        return new Report(host, vipFailure, postmasters.fence(node));
    }

    /** What a fence did: the VIP removed (or why not), and the postmaster's fence. */
    public record Report(String host, Optional<String> vipFailure, PostmasterFence postmaster) {

        /** Fenced: the host holds no VIP and runs no postmaster. */
        public boolean fenced() {
            return vipFailure.isEmpty() && postmaster.done();
        }

        public String describe() {
            return host + ": " + vipFailure.map(why -> "VIP not removed (" + why + ")").orElse("VIP removed") + ", "
                    + postmaster.describe();
        }
    }
}
