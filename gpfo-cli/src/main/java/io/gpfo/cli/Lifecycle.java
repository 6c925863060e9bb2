package io.gpfo.cli;

import io.gpfo.port.PrintedStepLog;
import io.gpfo.evidence.EvidenceProbes;
import io.gpfo.lifecycle.Check;
import io.gpfo.lifecycle.Rejoin;
import io.gpfo.lifecycle.Switchover;
import io.gpfo.pause.PauseControl;
import io.gpfo.port.StepLog;
import io.gpfo.promote.Promoter;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** What 'gpfo rejoin' and 'gpfo switchover' are built from, wired once; close it to end its threads. */
final class Lifecycle implements AutoCloseable {

    final StepLog log;
    final PauseControl pauses;
    final Rejoin rejoin;
    final Switchover switchover;
    private final ExecutorService parallel = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "gpfo-lifecycle");
        thread.setDaemon(true);
        return thread;
    });

    Lifecycle(Wiring wiring, Services services, PrintWriter err) {
        this.log = new PrintedStepLog(err::println);
        EvidenceProbes probes = new EvidenceProbes(wiring.access, wiring.sql, wiring.vip, parallel);
        this.pauses = new PauseControl(wiring.access, log);
        this.rejoin = new Rejoin(wiring.access, wiring.sql, probes, pauses, services.clock(), log, parallel);
        Promoter promoter = new Promoter(wiring.access, wiring.sql, wiring.vip, services.clock(), wiring.wrappers(), log);
        this.switchover = new Switchover(wiring.access, wiring.sql, probes, pauses, promoter, rejoin, services.clock(), log,
                parallel);
    }

    /** The preconditions, one OK/FAILED line each; true when all hold. */
    boolean print(List<Check> checks) {
        for (Check check : checks) {
            if (check.ok()) {
                log.ok(check.what() + (check.detail().isEmpty() ? "" : " (" + check.detail() + ")"));
            } else {
                log.failed(check.what(), check.detail());
            }
        }
        return checks.stream().allMatch(Check::ok);
    }

    @Override
    public void close() {
        parallel.shutdownNow();
    }
}
