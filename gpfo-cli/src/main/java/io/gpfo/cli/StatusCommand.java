package io.gpfo.cli;

import io.gpfo.status.ClusterStatus;
import io.gpfo.status.ClusterSurvey;
import io.gpfo.status.StatusReport;
import io.gpfo.history.EventLog;
import io.gpfo.history.EventRecord;
import io.gpfo.history.History;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCode.LIST_HEADING,
        exitCodeList = {ExitCode.OK_ENTRY, ExitCode.FAILED_ENTRY, ExitCode.USAGE_ENTRY, ExitCode.UNHEALTHY_ENTRY,
            ExitCode.INTERRUPTED_ENTRY},
        description = "Shows both coordinator hosts (reachable, role, VIP), the VIP state, replication lag and the"
                + " agent phase. Exit 0 healthy, 4 degraded or critical.")
final class StatusCommand extends ConfiguredCommand implements Callable<Integer> {

    private static final int RECENT_EVENTS = 5;

    @Mixin
    JsonOption json;

    StatusCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        Wiring wiring = Wiring.of(loadConfig(), services);
        // the journal is read (and Jackson's databind loaded) while the survey waits on SSH and SQL
        CompletableFuture<StatusReport.Agent> agent = CompletableFuture.supplyAsync(() -> agent(wiring));
        ClusterStatus status = survey(wiring);
        print(status, agent.join(), json.json);
        if (!json.json) {
            recentEvents(wiring);
        }
        return status.health() == ClusterStatus.Health.OK ? ExitCode.OK : ExitCode.UNHEALTHY;
    }

    static ClusterStatus survey(Wiring wiring) {
        return new ClusterSurvey(wiring.access, wiring.sql, wiring.vip, wiring.sqlTimeout()).survey();
    }

    /** The agent's phase from this host's journal, if an agent ever ran here. */
    static StatusReport.Agent agent(Wiring wiring) {
        try {
            return new io.gpfo.state.JournalStore(wiring.config.state().directory()).read()
                    .map(StatusReport.Agent::of)
                    .orElse(StatusReport.Agent.NONE);
        } catch (java.io.IOException e) {
            return new StatusReport.Agent("unreadable", null, e.getMessage());
        }
    }

    /** The last few events of this host's log ('gpfo history' merges both hosts'). */
    private void recentEvents(Wiring wiring) {
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

    void print(ClusterStatus status, StatusReport.Agent agent, boolean asJson) {
        if (asJson) {
            out().println(StatusReport.jsonText(status, agent));
        } else {
            StatusReport.table(status, agent).forEach(out()::println);
        }
    }
}
