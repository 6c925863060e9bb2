package io.gpfo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpfo.agent.Agent;
import io.gpfo.agent.PeerVipReading;
import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Observation;
import io.gpfo.heartbeat.Probes;
import io.gpfo.node.Inspection;
import io.gpfo.node.NodeName;
import io.gpfo.node.Role;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.status.ClusterStatus;
import io.gpfo.status.ClusterSurvey;
import io.gpfo.status.NodeStatus;
import io.gpfo.status.StatusReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * This host's view of the cluster as the agent's last round saw it, in the shape of {@code gpfo
 * status}: no SQL or SSH per request (a scrape must not cost the database or the peer anything).
 */
final class HostStatus {

    private HostStatus() {
    }

    static ClusterStatus of(GpfoConfig config, NodeName local, Agent.Snapshot snapshot) {
        return of(config, local, snapshot, PeerVip.of(config, snapshot));
    }

    private static ClusterStatus of(GpfoConfig config, NodeName local, Agent.Snapshot snapshot, PeerVip peerVip) {
        Observation observation = snapshot.observation();
        Observation.Local here = observation.local();
        NodeStatus localNode = new NodeStatus(local, local.of(config).host(), true, here.role(),
                Optional.of(observation.vip().heldHere()), here.status(), here.detail());
        Observation.Peer peer = observation.peer();
        NodeName peerName = local.peer();
        String detail = Stream.of(peer.sqlAnswers() ? "" : "SQL does not answer", peerVip.note()).filter(note -> !note.isEmpty())
                .collect(Collectors.joining("; "));
        NodeStatus peerNode = new NodeStatus(peerName, peerName.of(config).host(), peer.sqlAnswers() || peer.anyPathAnswers(),
                peerRole(observation), peerVip.holds(), peer.status(), detail);
        List<NodeStatus> nodes = local == NodeName.COORDINATOR ? List.of(localNode, peerNode) : List.of(peerNode, localNode);
        return ClusterSurvey.assemble(config, local, nodes);
    }

    /**
     * How long the peer's last VIP answer speaks for now: one asking cycle of the agent and a round more.
     * Older (the agent stops asking while the peer is suspect), the VIP may have moved since: unknown.
     */
    static Duration shelfLife(GpfoConfig config) {
        return config.heartbeat().interval().multipliedBy(Probes.PEER_VIP_EVERY + 1);
    }

    /**
     * The peer's VIP as /status shows it: the last answer while it is fresh, else unknown with a note
     * saying why; never "not held" unless the peer said so.
     *
     * @param observedAt when the peer gave the answer shown (a round that did not ask shows an earlier one)
     */
    record PeerVip(Optional<Boolean> holds, Optional<Instant> observedAt, String note) {

        static PeerVip of(GpfoConfig config, Agent.Snapshot snapshot) {
            return of(snapshot.peerVip(), snapshot.observation().at(), shelfLife(config));
        }

        static PeerVip of(PeerVipReading reading, Instant now, Duration shelfLife) {
            return reading.accept(new PeerVipReading.Visitor<>() {
                @Override
                public PeerVip notAsked(PeerVipReading.NotAsked notAsked) {
                    return new PeerVip(Optional.empty(), Optional.empty(), "VIP not asked yet");
                }

                @Override
                public PeerVip answered(PeerVipReading.Answered answered) {
                    Duration age = Duration.between(answered.at(), now);
                    if (age.compareTo(shelfLife) <= 0) {
                        return new PeerVip(Optional.of(answered.holds()), Optional.of(answered.at()), "");
                    }
                    return new PeerVip(Optional.empty(), Optional.of(answered.at()), "VIP last asked " + age.toSeconds()
                            + " s ago (" + (answered.holds() ? "held" : "not held") + "), too long ago to speak for now");
                }

                @Override
                public PeerVip unanswered(PeerVipReading.Unanswered unanswered) {
                    return new PeerVip(Optional.empty(), Optional.empty(), "VIP unknown: " + unanswered.failure().message());
                }
            });
        }
    }

    /** The JSON object of {@code gpfo status --json}, plus when the round that saw it ran and when the peer's VIP was asked. */
    static ObjectNode json(GpfoConfig config, NodeName local, Agent.Snapshot snapshot) {
        PeerVip peerVip = PeerVip.of(config, snapshot);
        ObjectNode json = StatusReport.json(of(config, local, snapshot, peerVip), StatusReport.Agent.of(snapshot.journal()));
        json.put("observed_at", snapshot.observation().at().toString());
        String peerLabel = local.peer().label();
        peerVip.observedAt().ifPresent(at -> {
            for (JsonNode node : json.path("nodes")) {
                if (node.path("name").asText().equals(peerLabel)) {
                    ((ObjectNode) node).put("vip_observed_at", at.toString());
                }
            }
        });
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
