package io.gpfo.cli;

import io.gpfo.agent.Agent;
import io.gpfo.decision.Observation;
import io.gpfo.state.Journal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The live view of {@code gpfo watch} on a terminal: both hosts, the probes, the counter, the VIP,
 * the lag, the phase and the last events. A pure function of a round's snapshot, so it is tested
 * without a terminal; jline's Display draws it.
 */
final class AgentView {

    private AgentView() {
    }

    static List<String> render(String localHost, String peerHost, Agent.Snapshot snapshot, List<String> lastEvents, int width) {
        Observation observation = snapshot.observation();
        Journal journal = snapshot.journal();
        List<String> lines = new ArrayList<>();
        lines.add("gpfo watch on " + localHost + " — phase " + journal.phase().label() + " since " + journal.since()
                + (journal.health().consecutiveFailures() > 0 ? "   failed rounds: " + journal.health().consecutiveFailures() : ""));
        lines.add("");
        lines.add(String.format("%-8s %-8s %-4s %s", "HOST", "ROLE", "VIP", "DETAIL"));
        lines.add(String.format("%-8s %-8s %-4s %s", localHost, observation.local().role().label(),
                observation.vip().heldHere() ? "yes" : "no", observation.local().detail()));
        String peerRole = observation.peer().status().map(status -> status.inRecovery() ? "standby" : "primary").orElse("?");
        lines.add(String.format("%-8s %-8s %-4s %s", peerHost, peerRole,
                observation.vip().peerHolds().map(held -> held ? "yes" : "no").orElse("?"),
                observation.peer().sqlAnswers() ? "SQL answers" : "SQL does not answer"));
        lines.add("");
        lines.add("probes   " + observation.peer().paths().stream().map(Object::toString).collect(Collectors.joining(", ")));
        observation.local().secondsSinceWal().ifPresent(seconds ->
                lines.add("wal      last message from the coordinator " + String.format("%.1f", seconds) + " s ago"));
        lines.add("lag      " + journal.health().lastLagBytes().stream().mapToObj(lag -> lag + " bytes at the last healthy round").findFirst()
                .orElse("unknown"));
        observation.deep().ifPresent(deep -> {
            lines.add("ssh      " + deep.inspection().map(inspection -> inspection.describe()).orElse("failed: " + deep.sshError()));
            lines.add("gateway  " + (deep.gatewayReachable() ? "reachable" : "UNREACHABLE"));
            if (deep.witnesses().configured() > 0) {
                lines.add("witness  " + String.join("; ", deep.witnesses().detail()));
            }
        });
        lines.add("decision " + snapshot.outcome().reason());
        lines.add("");
        lines.add("last events:");
        lastEvents.forEach(event -> lines.add("  " + event));
        return lines.stream().map(line -> line.length() > width ? line.substring(0, Math.max(0, width - 1)) + "…" : line).toList();
    }
}
