package io.gpfo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpfo.arbiter.ArbiterStatus;
import io.gpfo.arbiter.EtcdGateway;
import io.gpfo.arbiter.LeaderLease;
import io.gpfo.config.Durations;
import io.gpfo.config.GpfoConfig;
import io.gpfo.history.EventLog;
import io.gpfo.history.EventRecord;
import io.gpfo.history.History;
import io.gpfo.node.AgentJournals;
import io.gpfo.node.NodeName;
import io.gpfo.status.ClusterStatus;
import io.gpfo.status.ClusterSurvey;
import io.gpfo.status.StatusReport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCode.LIST_HEADING,
        exitCodeList = {ExitCode.OK_ENTRY, ExitCode.FAILED_ENTRY, ExitCode.USAGE_ENTRY, ExitCode.UNHEALTHY_ENTRY,
            ExitCode.INTERRUPTED_ENTRY},
        description = {"Shows both coordinator hosts (reachable, role, timeline, VIP), the VIP state, replication lag and"
                + " both agents' phases. Works on any host with the config and SSH to both coordinator hosts (it says which"
                + " host it observed from). A fact that could not be established is shown as unknown with why, and the"
                + " health is then not ok. Exit 0 healthy, 4 degraded or critical.",
            "--watch only looks, refreshing: it is not the agent ('gpfo watch', which can promote)."})
final class StatusCommand extends ConfiguredCommand implements Callable<Integer> {

    private static final int RECENT_EVENTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    JsonOption json;

    @Option(names = "--watch", description = "Refresh the view every --interval until interrupted (read-only; 'gpfo watch'"
            + " is the agent).")
    boolean watch;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "2s", description = "Time between refreshes with --watch"
            + " (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--count", paramLabel = "N", description = "With --watch, stop after N views (default: until interrupted).")
    Integer count;

    StatusCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        try {
            Duration every = Durations.parse(interval).filter(duration -> !duration.isZero() && !duration.isNegative())
                    .orElseThrow(() -> new GpfoException(ExitCode.USAGE, "--interval '" + interval + "' is not a positive"
                            + " duration (2s, 500ms, 1m)"));
            if (count != null && count < 1) {
                throw new GpfoException(ExitCode.USAGE, "--count " + count + " is not a positive number of views");
            }
            Wiring wiring = Wiring.observing(loadConfig(), services);
            return watch ? watch(wiring, every) : once(wiring);
        } catch (Exception e) {
            if (json.json) {
                // monitors parse every answer: one object, also when there is no status to give
                out().println(errorJson(e));
            }
            throw e;
        }
    }

    private int once(Wiring wiring) {
        View view = look(wiring);
        if (json.json) {
            out().println(StatusReport.jsonText(view.status(), view.agents(), view.arbiter()));
        } else {
            StatusReport.table(view.status(), view.agents(), view.arbiter()).forEach(out()::println);
            recentEvents(wiring);
        }
        return exitCode(view);
    }

    /** Read-only and refreshing: on a terminal redrawn in place, else (or with --json) printed each time. */
    private int watch(Wiring wiring, Duration every) throws InterruptedException {
        Optional<Screen> screen = json.json ? Optional.empty() : Screen.open();
        try {
            View last = null;
            for (int shown = 0; count == null || shown < count; shown++) {
                if (shown > 0) {
                    services.clock().sleep(every);
                }
                View view = look(wiring);
                last = view;
                List<String> lines = new ArrayList<>();
                if (json.json) {
                    lines.add(StatusReport.jsonText(view.status(), view.agents(), view.arbiter()));
                } else {
                    lines.add("gpfo status --watch: every " + interval + ", " + services.clock().now() + " (read-only; Ctrl-C"
                            + " ends it)");
                    lines.addAll(StatusReport.table(view.status(), view.agents(), view.arbiter()));
                }
                if (screen.isPresent()) {
                    screen.get().draw(lines);
                } else {
                    lines.forEach(out()::println);
                    out().flush();
                }
            }
            return exitCode(last);
        } finally {
            screen.ifPresent(Screen::close);
        }
    }

    /** One look at the cluster, both agents' journals and the arbiter (when gpfo.yaml has one). */
    record View(ClusterStatus status, Map<NodeName, StatusReport.Agent> agents, Optional<ArbiterStatus> arbiter) {
    }

    private View look(Wiring wiring) {
        // the journals are read (over SSH where not local) while the survey waits on SSH and SQL
        Map<NodeName, CompletableFuture<StatusReport.Agent>> journals = new EnumMap<>(NodeName.class);
        for (NodeName node : NodeName.values()) {
            journals.put(node, CompletableFuture.supplyAsync(() -> agent(wiring, node)));
        }
        var arbiter = wiring.config.arbiter().map(settings -> CompletableFuture.supplyAsync(() -> arbiter(settings,
                wiring.sqlTimeout())));
        ClusterStatus status = survey(wiring);
        Map<NodeName, StatusReport.Agent> agents = new EnumMap<>(NodeName.class);
        journals.forEach((node, agent) -> agents.put(node, agent.join()));
        return new View(status, agents, arbiter.map(CompletableFuture::join));
    }

    /** The leader key and its lease, read from etcd directly (any host with the config and the members' TLS files). */
    private static ArbiterStatus arbiter(GpfoConfig.Arbiter settings, Duration timeout) {
        try (EtcdGateway etcd = new EtcdGateway(settings, timeout)) {
            return ArbiterStatus.ask(settings, etcd, timeout);
        } catch (IllegalStateException e) {
            // a TLS file that cannot be used: the arbiter is then unknown here, and says why
            return new ArbiterStatus(settings.endpoints(), settings.leaderKey(), LeaderLease.Reach.UNREACHABLE,
                    Optional.empty(), java.util.OptionalLong.empty(), e.getMessage());
        }
    }

    private static int exitCode(View view) {
        return StatusReport.health(view.status(), view.arbiter()) == ClusterStatus.Health.OK ? ExitCode.OK : ExitCode.UNHEALTHY;
    }

    static ClusterStatus survey(Wiring wiring) {
        return new ClusterSurvey(wiring.access, wiring.sql, wiring.vip, wiring.sqlTimeout()).survey(wiring.observedFrom());
    }

    /** A host's agent as its journal says: none if no agent ever ran there, unknown with why if it could not be read. */
    static StatusReport.Agent agent(Wiring wiring, NodeName node) {
        AgentJournals.Read read = AgentJournals.read(wiring.access, node);
        if (!read.readable()) {
            return new StatusReport.Agent("unknown", null, read.problem());
        }
        return read.journal().map(StatusReport.Agent::of).orElse(StatusReport.Agent.NONE);
    }

    /** This host's agent only, for the views that show one (vip status, install's closing status); none for an observer. */
    static Map<NodeName, StatusReport.Agent> localAgent(Wiring wiring) {
        return wiring.access.localNode().map(node -> Map.of(node, agent(wiring, node))).orElse(Map.of());
    }

    static String errorJson(Exception e) {
        ObjectNode root = JSON.createObjectNode();
        root.put("error", String.valueOf(e.getMessage()));
        root.put("health", "unknown");
        return root.toString();
    }

    /** The last few events of this host's log ('gpfo history' merges both hosts'); an observer has none of its own. */
    private void recentEvents(Wiring wiring) {
        if (wiring.access.localNode().isEmpty()) {
            out().println("recent events: 'gpfo history' shows both hosts'");
            return;
        }
        try {
            List<EventRecord> recent = History.select(new EventLog(wiring.config.state().directory()).read(), Optional.empty(),
                    RECENT_EVENTS);
            if (!recent.isEmpty()) {
                out().println("recent events on " + wiring.access.host(wiring.local()) + " ('gpfo history' for both hosts):");
                recent.forEach(event -> out().println("  " + HistoryCommand.line(event)));
            }
        } catch (IOException e) {
            out().println("recent events: unknown (" + e.getMessage() + ")");
        }
    }
}
