package io.gpfo.cli;

import io.gpfo.status.ClusterStatus;
import io.gpfo.status.ClusterSurvey;
import io.gpfo.status.StatusReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows both coordinator hosts (reachable, role, VIP), the VIP state, replication lag and the"
                + " agent phase. Exit 0 healthy, 4 degraded or critical.")
final class StatusCommand extends ConfiguredCommand implements Callable<Integer> {

    @Option(names = "--json", description = "One JSON object on stdout (keys as in design.md §10).")
    boolean json;

    StatusCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        Wiring wiring = Wiring.of(loadConfig(), services);
        ClusterStatus status = survey(wiring);
        print(status, json);
        return status.health() == ClusterStatus.Health.OK ? ExitCode.OK : ExitCode.UNHEALTHY;
    }

    static ClusterStatus survey(Wiring wiring) {
        return new ClusterSurvey(wiring.access, wiring.sql, wiring.vip, wiring.sqlTimeout()).survey();
    }

    void print(ClusterStatus status, boolean asJson) {
        StatusReport.Agent agent = StatusReport.Agent.NONE;
        if (asJson) {
            out().println(StatusReport.jsonText(status, agent));
        } else {
            StatusReport.table(status, agent).forEach(out()::println);
        }
    }
}
