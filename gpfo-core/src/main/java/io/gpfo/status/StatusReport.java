package io.gpfo.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link ClusterStatus}: the JSON object of docs/design.md §10 for scripts and monitoring,
 * and a compact table for people. Pure functions of the status, so both are unit-tested.
 */
public final class StatusReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the agent's journal says; all null until an agent has run on this host. */
    public record Agent(String phase, String since, String lastEvent) {
        public static final Agent NONE = new Agent("none", null, null);

        public static Agent of(io.gpfo.state.Journal journal) {
            return new Agent(journal.phase().label(), String.valueOf(journal.since()), journal.activity().lastEvent().orElse(null));
        }
    }

    private StatusReport() {
    }

    public static ObjectNode json(ClusterStatus status, Agent agent) {
        ObjectNode root = JSON.createObjectNode();
        root.put("cluster", status.cluster());
        root.put("local_host", status.localHost());
        ArrayNode nodes = root.putArray("nodes");
        for (NodeStatus node : status.nodes()) {
            ObjectNode entry = nodes.addObject();
            entry.put("name", node.name().label());
            entry.put("host", node.host());
            entry.put("reachable", node.reachable());
            entry.put("role", node.role().label());
            entry.put("vip", node.holdsVip().orElse(false));
            if (node.holdsVip().isEmpty()) {
                entry.put("vip_known", false);
            }
            node.database().flatMap(database -> database.timeline().isPresent()
                    ? java.util.Optional.of(database.timeline().getAsInt()) : java.util.Optional.empty())
                    .ifPresent(timeline -> entry.put("timeline", timeline));
            if (!node.detail().isEmpty()) {
                entry.put("detail", node.detail());
            }
        }
        ObjectNode vip = root.putObject("vip");
        vip.put("address", status.vipAddress());
        ArrayNode holders = vip.putArray("holders");
        status.vipHolders().forEach(holders::add);
        vip.put("state", status.vipState().label());
        ObjectNode replication = root.putObject("replication");
        replication.put("state", status.replication().state());
        if (status.replication().lagBytes().isPresent()) {
            replication.put("lag_bytes", status.replication().lagBytes().getAsLong());
        } else {
            replication.putNull("lag_bytes");
        }
        ObjectNode agentNode = root.putObject("agent");
        agentNode.put("phase", agent.phase());
        agentNode.put("since", agent.since());
        agentNode.put("last_event", agent.lastEvent());
        root.put("health", status.health().label());
        return root;
    }

    public static String jsonText(ClusterStatus status, Agent agent) {
        try {
            return JSON.writeValueAsString(json(status, agent));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The table for a terminal: one line per host, then VIP, replication, agent and health. */
    public static List<String> table(ClusterStatus status, Agent agent) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-12s %-16s %-10s %-8s %-4s %s", "NODE", "HOST", "REACHABLE", "ROLE", "VIP", "DETAIL"));
        for (NodeStatus node : status.nodes()) {
            String marker = node.name() == status.local() ? "*" : " ";
            lines.add(String.format("%-12s %-16s %-10s %-8s %-4s %s", node.name().label() + marker, node.host(),
                    node.reachable() ? "yes" : "no", node.role().label(),
                    node.holdsVip().map(held -> held ? "yes" : "no").orElse("?"), node.detail()));
        }
        lines.add("vip          " + status.vipAddress() + " on " + (status.vipHolders().isEmpty() ? "no host"
                : String.join(", ", status.vipHolders())) + " (" + status.vipState().label() + ")");
        lines.add("replication  " + status.replication().state() + status.replication().lagBytes().stream()
                .mapToObj(lag -> ", lag " + lag + " bytes").findFirst().orElse(""));
        lines.add("agent        " + agent.phase() + (agent.since() == null ? "" : " since " + agent.since())
                + (agent.lastEvent() == null ? "" : "; last event: " + agent.lastEvent()));
        lines.add("health       " + status.health().label() + "   (* = this host)");
        return lines;
    }
}
