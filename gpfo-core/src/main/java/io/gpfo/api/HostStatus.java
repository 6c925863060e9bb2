package io.gpfo.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpfo.agent.Agent;
import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Observation;
import io.gpfo.node.Inspection;
import io.gpfo.node.NodeName;
import io.gpfo.node.Role;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.status.ClusterStatus;
import io.gpfo.status.ClusterSurvey;
import io.gpfo.status.NodeStatus;
import io.gpfo.status.StatusReport;
import java.util.List;
import java.util.Optional;

/**
 * This host's view of the cluster as the agent's last round saw it, in the shape of {@code gpfo
 * status}: no SQL or SSH per request (a scrape must not cost the database or the peer anything).
 */
final class HostStatus {

    private HostStatus() {
    }

    static ClusterStatus of(GpfoConfig config, NodeName local, Agent.Snapshot snapshot) {
        Observation observation = snapshot.observation();
        Observation.Local here = observation.local();
        NodeStatus localNode = new NodeStatus(local, local.of(config).host(), true, here.role(),
                Optional.of(observation.vip().heldHere()), here.status(), here.detail());
        Observation.Peer peer = observation.peer();
        NodeName peerName = local.peer();
        NodeStatus peerNode = new NodeStatus(peerName, peerName.of(config).host(), peer.sqlAnswers() || peer.anyPathAnswers(),
                peerRole(observation), peerVip(observation.vip()), peer.status(),
                peer.sqlAnswers() ? "" : "SQL does not answer");
        List<NodeStatus> nodes = local == NodeName.COORDINATOR ? List.of(localNode, peerNode) : List.of(peerNode, localNode);
        return ClusterSurvey.assemble(config, local, nodes);
    }

    /**
     * The peer's VIP as this round saw it: unknown when it could not be asked; a round that did not ask
     * (the agent asks every tenth round while all is well) keeps the endpoint's earlier reading, not holding.
     */
    private static Optional<Boolean> peerVip(Observation.VipView vip) {
        return vip.peerUnasked().isPresent() ? Optional.empty() : Optional.of(vip.peerHolds().orElse(false));
    }

    /** The JSON object of {@code gpfo status --json}, plus when the round that saw it ran. */
    static ObjectNode json(GpfoConfig config, NodeName local, Agent.Snapshot snapshot) {
        ObjectNode json = StatusReport.json(of(config, local, snapshot), StatusReport.Agent.of(snapshot.journal()));
        json.put("observed_at", snapshot.observation().at().toString());
        return json;
    }

    /** The peer's role from its SQL answer, else from its postmaster when SSH saw it this round. */
    private static Role peerRole(Observation observation) {
        Optional<DatabaseStatus> status = observation.peer().status();
        if (status.isPresent()) {
            return status.get().inRecovery() ? Role.STANDBY : Role.PRIMARY;
        }
        return observation.deep().flatMap(Observation.Deep::inspection).map(Inspection::running)
                .map(running -> running ? Role.UNKNOWN : Role.DOWN).orElse(Role.UNKNOWN);
    }
}
