package io.gpfo.status;

import io.gpfo.node.Role;

import io.gpfo.node.NodeName;
import io.gpfo.vip.VipState;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Both coordinator hosts, the VIP and replication, judged together (docs/design.md §10).
 *
 * @param local        the coordinator host this was observed on; empty when observed from elsewhere
 * @param observedFrom the host it was observed from (a coordinator host's configured name, else the hostname)
 */
public record ClusterStatus(String cluster, Optional<NodeName> local, String observedFrom, List<NodeStatus> nodes,
        String vipAddress, List<String> vipHolders, VipState vipState, Replication replication, Health health) {

    public record Replication(String state, OptionalLong lagBytes) {
    }

    public enum Health {
        OK, DEGRADED, CRITICAL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public NodeStatus node(NodeName name) {
        return nodes.stream().filter(node -> node.name() == name).findFirst().orElseThrow();
    }

    /** The coordinator host this was observed on, or null when observed from another host. */
    public String localHost() {
        return local.map(name -> node(name).host()).orElse(null);
    }

    /** The host whose database is a running primary, when exactly one is. */
    public String actingPrimary() {
        List<NodeStatus> primaries = nodes.stream().filter(node -> node.role() == Role.PRIMARY).toList();
        return primaries.size() == 1 ? primaries.get(0).host() : null;
    }

    /**
     * ok: one primary, one streaming standby, VIP on the primary, all of it established; critical: two
     * primaries or two VIPs. A fact that could not be established (a role, the VIP) is never ok.
     */
    static Health judge(List<NodeStatus> nodes, VipState vip, Replication replication) {
        long primaries = nodes.stream().filter(node -> node.role() == Role.PRIMARY).count();
        long standbys = nodes.stream().filter(node -> node.role() == Role.STANDBY).count();
        if (primaries > 1 || vip == VipState.BOTH) {
            return Health.CRITICAL;
        }
        if (primaries == 1 && standbys == 1 && vip == VipState.OK && replication.state().equals("streaming")) {
            return Health.OK;
        }
        return Health.DEGRADED;
    }
}
