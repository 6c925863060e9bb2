package io.gpfo.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpfo.arbiter.ArbiterStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import io.gpfo.node.NodeName;
import io.gpfo.vip.VipState;

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

    /** The JSON object with this host's agent only (the endpoint's view: it reads no other journal). */
    public static ObjectNode json(ClusterStatus status, Agent agent) {
        return json(status, status.local().map(local -> Map.of(local, agent)).orElse(Map.of()));
    }

    /**
     * @param agents each coordinator host's agent as its journal says, as far as it could be read
     *               ({@code agent} keeps this host's, {@code agents} has each host's)
     */
    public static ObjectNode json(ClusterStatus status, Map<NodeName, Agent> agents) {
        return json(status, agents, Optional.empty());
    }

    /** With the arbiter (when gpfo.yaml has one): its object, and the health it allows. */
    public static ObjectNode json(ClusterStatus status, Map<NodeName, Agent> agents, Optional<ArbiterStatus> arbiter) {
        ObjectNode root = JSON.createObjectNode();
        root.put("cluster", status.cluster());
        root.put("local_host", status.localHost());
        root.put("observed_from", status.observedFrom());
        ArrayNode nodes = root.putArray("nodes");
        for (NodeStatus node : status.nodes()) {
            ObjectNode entry = nodes.addObject();
            entry.put("name", node.name().label());
            entry.put("host", node.host());
            entry.put("reachable", node.reachable());
            entry.put("role", node.role().label());
            entry.put("vip", node.holdsVip().orElse(false));
            if (node.holdsVip().isEmpty()) {
                // could not be asked: "vip": false is not a fact, the detail says why
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
            replication.put("lag", humanBytes(status.replication().lagBytes().getAsLong()));
        } else {
            replication.putNull("lag_bytes");
        }
        status.local().map(agents::get).ifPresentOrElse(agent -> agent(root.putObject("agent"), agent), () -> root.putNull("agent"));
        ObjectNode each = root.putObject("agents");
        for (NodeStatus node : status.nodes()) {
            Optional.ofNullable(agents.get(node.name())).ifPresent(agent -> agent(each.putObject(node.host()), agent));
        }
        arbiter.ifPresent(view -> arbiter(root.putObject("arbiter"), view));
        root.put("health", health(status, arbiter).label());
        return root;
    }

    /** The pair's health, and not ok while the arbiter gives no lease to the acting primary. */
    public static ClusterStatus.Health health(ClusterStatus status, Optional<ArbiterStatus> arbiter) {
        return arbiter.map(view -> view.judge(status)).orElse(status.health());
    }

    private static void arbiter(ObjectNode entry, ArbiterStatus view) {
        ArrayNode endpoints = entry.putArray("endpoints");
        view.endpoints().forEach(endpoint -> endpoints.add(endpoint.toString()));
        entry.put("reach", view.reach().label());
        entry.put("key", view.key());
        view.leader().ifPresentOrElse(leader -> {
            entry.put("leader", leader.host());
            entry.put("lease", Long.toHexString(leader.leaseId()));
        }, () -> entry.putNull("leader"));
        if (view.ttlLeft().isPresent()) {
            entry.put("ttl_left_seconds", view.ttlLeft().getAsLong());
        }
        if (!view.detail().isEmpty()) {
            entry.put("detail", view.detail());
        }
    }

    private static void agent(ObjectNode entry, Agent agent) {
        entry.put("phase", agent.phase());
        entry.put("since", agent.since());
        entry.put("last_event", agent.lastEvent());
    }

    /** Bytes for people: 0 B, 512 B, 1.5 KiB, 16.0 MiB, 2.3 GiB. */
    public static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    public static String jsonText(ClusterStatus status, Map<NodeName, Agent> agents) {
        return jsonText(status, agents, Optional.empty());
    }

    public static String jsonText(ClusterStatus status, Map<NodeName, Agent> agents, Optional<ArbiterStatus> arbiter) {
        try {
            return JSON.writeValueAsString(json(status, agents, arbiter));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The table for a terminal: one line per host, then VIP, replication, each host's agent and health. */
    public static List<String> table(ClusterStatus status, Map<NodeName, Agent> agents) {
        return table(status, agents, Optional.empty());
    }

    public static List<String> table(ClusterStatus status, Map<NodeName, Agent> agents, Optional<ArbiterStatus> arbiter) {
        List<String> lines = new ArrayList<>();
        String row = "%-12s %-16s %-10s %-8s %-3s %-4s %s";
        lines.add(String.format(row, "NODE", "HOST", "REACHABLE", "ROLE", "TL", "VIP", "DETAIL"));
        for (NodeStatus node : status.nodes()) {
            String marker = status.local().filter(node.name()::equals).isPresent() ? "*" : " ";
            String timeline = node.database().flatMap(database -> database.timeline().isPresent()
                    ? Optional.of(Integer.toString(database.timeline().getAsInt())) : Optional.empty()).orElse("-");
            lines.add(String.format(row, node.name().label() + marker, node.host(), node.reachable() ? "yes" : "no",
                    node.role().label(), timeline, node.holdsVip().map(held -> held ? "yes" : "no").orElse("?"), node.detail()));
        }
        lines.add("vip          " + status.vipAddress() + " on " + (status.vipHolders().isEmpty() ? "no host"
                : String.join(", ", status.vipHolders())) + (status.vipState() == VipState.UNKNOWN
                ? " or unknown: a host could not be asked" : "") + " (" + status.vipState().label() + ")");
        lines.add("replication  " + status.replication().state() + status.replication().lagBytes().stream()
                .mapToObj(lag -> ", lag " + lag + " bytes (" + humanBytes(lag) + ")").findFirst().orElse(""));
        for (NodeStatus node : status.nodes()) {
            Agent agent = agents.getOrDefault(node.name(), new Agent("unknown", null, "its journal could not be read"));
            lines.add(String.format("%-12s %s", "agent", node.host() + ": " + agent.phase()
                    + (agent.since() == null ? "" : " since " + agent.since())
                    + (agent.lastEvent() == null ? "" : "; last event: " + agent.lastEvent())));
        }
        arbiter.ifPresent(view -> lines.add("arbiter      " + view.describe()));
        lines.add("health       " + health(status, arbiter).label() + "   " + status.local().map(local -> "(* = this host)")
                .orElse("(observed from " + status.observedFrom() + ", not a coordinator host)"));
        return lines;
    }
}
