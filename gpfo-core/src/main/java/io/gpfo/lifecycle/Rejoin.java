package io.gpfo.lifecycle;

import io.gpfo.config.GpfoConfig;
import io.gpfo.evidence.EvidenceProbes;
import io.gpfo.greenplum.GreenplumOutput;
import io.gpfo.greenplum.GreenplumRelease;
import io.gpfo.greenplum.VersionDetector;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.pause.PauseControl;
import io.gpfo.port.Clock;
import io.gpfo.port.CommandResult;
import io.gpfo.port.StepLog;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.SshException;
import io.gpfo.state.PauseFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Re-adds the host that is not the acting primary as its standby: gathers the facts, and carries out
 * a {@link RejoinPlan} step by step, one line each. The agents are paused while it runs (and resumed
 * after, also after a failure); a failure stops, says what was done and that a re-run continues.
 */
public final class Rejoin {

    public static final String PAUSED_BY = "gpfo rejoin";
    /** A full copy of a coordinator (its catalog) takes minutes; the pause outlives a stuck rejoin by this much. */
    private static final Duration PAUSE_BOUND = Duration.ofHours(2);
    private static final Duration INIT_TIMEOUT = Duration.ofHours(1);
    private static final Duration STREAMING_WAIT = Duration.ofMinutes(10);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofSeconds(30);

    private final NodeAccess access;
    private final GpfoConfig config;
    private final CoordinatorSql sql;
    private final EvidenceProbes probes;
    private final PauseControl pauses;
    private final Clock clock;
    private final StepLog log;
    private final Executor parallel;

    public Rejoin(NodeAccess access, CoordinatorSql sql, EvidenceProbes probes, PauseControl pauses, Clock clock, StepLog log,
            Executor parallel) {
        this.access = access;
        this.config = access.config();
        this.sql = sql;
        this.probes = probes;
        this.pauses = pauses;
        this.clock = clock;
        this.log = log;
        this.parallel = parallel;
    }

    /** Everything the judgement needs, asked at once where it can be. */
    public RejoinFacts facts() {
        Duration timeout = config.ssh().connectTimeout();
        NodeName local = access.local();
        var localSql = CompletableFuture.supplyAsync(() -> probes.sql(local.of(config), timeout), parallel);
        var peerSql = CompletableFuture.supplyAsync(() -> probes.sql(local.peer().of(config), timeout), parallel);
        List<NodeName> primaries = new ArrayList<>();
        if (localSql.join().status().map(DatabaseStatus::primary).orElse(false)) {
            primaries.add(local);
        }
        if (peerSql.join().status().map(DatabaseStatus::primary).orElse(false)) {
            primaries.add(local.peer());
        }
        Optional<NodeName> primary = primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
        String problem = primaries.isEmpty() ? "no host answers SQL as the primary (" + access.host(local) + ": "
                + answer(localSql.join()) + "; " + access.host(local.peer()) + ": " + answer(peerSql.join()) + ")"
                : primaries.size() == 2 ? "both hosts answer as primary: split brain, stop one of them first" : "";
        NodeName target = primary.map(NodeName::peer).orElse(local.peer());
        GpfoConfig.Node targetNode = target.of(config);
        var postmaster = CompletableFuture.supplyAsync(() -> probes.postmaster(target), parallel);
        var free = CompletableFuture.supplyAsync(() -> freeBytes(target, targetNode.dataDirectory()), parallel);
        OptionalLong size = OptionalLong.empty();
        String sizeProblem = "no acting primary";
        if (primary.isPresent()) {
            GpfoConfig.Node primaryNode = primary.get().of(config);
            try {
                size = OptionalLong.of(sql.databaseBytes(primaryNode.host(), primaryNode.port(), timeout));
                sizeProblem = "";
            } catch (CoordinatorSql.SqlUnavailable e) {
                sizeProblem = String.valueOf(e.getMessage());
            }
        }
        Optional<DatabaseStatus> primaryStatus = primary.flatMap(node -> (node == local ? localSql : peerSql).join().status());
        Optional<DatabaseStatus> targetStatus = (target == local ? localSql : peerSql).join().status();
        Measured freeSpace = free.join();
        return new RejoinFacts(primary, problem, primaryStatus, target, access.host(target), targetNode.dataDirectory(),
                postmaster.join(), targetStatus, size, sizeProblem, freeSpace.bytes(), freeSpace.problem());
    }

    private static String answer(EvidenceProbes.SqlAnswer answer) {
        return answer.status().map(status -> status.inRecovery() ? "a standby" : "primary").orElse(answer.error());
    }

    private record Measured(OptionalLong bytes, String problem) {
    }

    /** Free bytes where the data directory goes: on its nearest existing ancestor's file system. */
    private Measured freeBytes(NodeName node, Path dataDirectory) {
        String script = "d=$1; while [ ! -d \"$d\" ]; do d=$(dirname \"$d\"); done; df -P -B1 \"$d\" | awk 'NR == 2 { print $4 }'";
        try {
            CommandResult result = access.run(node, List.of("sh", "-c", script, "df", dataDirectory.toString()), SHORT);
            String text = result.stdout().strip();
            return result.ok() && text.matches("\\d+") ? new Measured(OptionalLong.of(Long.parseLong(text)), "")
                    : new Measured(OptionalLong.empty(), "df failed: " + result.failureSummary());
        } catch (SshException e) {
            return new Measured(OptionalLong.empty(), String.valueOf(e.getMessage()));
        }
    }

    /** Carries out the plan with both agents paused; true when the pair is whole again. */
    public boolean run(RejoinPlan plan, RejoinFacts facts) throws IOException {
        return pauses.whilePaused(PAUSED_BY, clock.now(), PAUSE_BOUND, () -> runSteps(plan, facts)).orElse(false);
    }

    /** The plan's steps, for a caller that keeps the agents paused itself (a switchover); true when all were done. */
    public boolean runSteps(RejoinPlan plan, RejoinFacts facts) {
        NodeName primary = facts.actingPrimary().orElseThrow(() -> new IllegalStateException("a rejoin needs an acting primary"));
        for (RejoinPlan.Step step : plan.steps()) {
            if (!step.accept(new Steps(primary, facts))) {
                log.note("stopped here: what is done above stays done; fix the cause and run 'gpfo rejoin' again, it"
                        + " continues from where the pair is now");
                return false;
            }
        }
        return true;
    }

    /** Each step of the plan, as I/O; false when it failed (the reason is logged). */
    private final class Steps implements RejoinPlan.Step.Visitor<Boolean> {
        private final NodeName primary;
        private final RejoinFacts facts;

        Steps(NodeName primary, RejoinFacts facts) {
            this.primary = primary;
            this.facts = facts;
        }

        @Override
        public Boolean moveAside(RejoinPlan.MoveAside step) {
            String what = "move " + step.from() + " aside on " + facts.targetHost();
            String script = "[ ! -e \"$2\" ] && mv -T -- \"$1\" \"$2\" && du -sb -- \"$2\" | cut -f1";
            try {
                CommandResult moved = access.runAsAdmin(facts.target(), List.of("sh", "-c", script, "move-aside",
                        step.from().toString(), step.to().toString()), SHORT.multipliedBy(10));
                if (!moved.ok()) {
                    log.failed(what, moved.failureSummary());
                    return false;
                }
                String size = moved.stdout().strip();
                log.ok("moved " + step.from() + " aside to " + step.to() + " on " + facts.targetHost()
                        + (size.matches("\\d+") ? " (" + RejoinPlan.mebibytes(Long.parseLong(size)) + ")" : "")
                        + ": kept, it may hold late commits; remove it when you no longer need it");
                return true;
            } catch (SshException e) {
                log.failed(what, e.getMessage());
                return false;
            }
        }

        @Override
        public Boolean initStandby(RejoinPlan.InitStandby step) {
            GpfoConfig.Node primaryNode = primary.of(config);
            GpfoConfig.Node targetNode = facts.target().of(config);
            GreenplumRelease release;
            try {
                release = VersionDetector.detect(config.greenplum(), access.admin(), access.runner());
            } catch (RuntimeException e) {
                log.failed("detect the Greenplum version", e.getMessage());
                return false;
            }
            // -S in every release: the real Greenplum 6.24.3 refuses -F (a GP5 option) with its usage (docs/greenplum.md §10.4)
            List<String> tool = List.of("gpinitstandby", "-s", step.targetHost(), "-S", step.dataDirectory().toString(), "-P",
                    Integer.toString(targetNode.port()), "-a");
            String what = String.join(" ", tool) + " on " + access.host(primary);
            log.note("running " + what + " (a full copy of " + access.host(primary) + ")");
            try {
                CommandResult result = access.runAsAdmin(primary, tool, release.toolEnvironment(primaryNode.port(),
                        primaryNode.dataDirectory()), INIT_TIMEOUT);
                if (!result.ok()) {
                    log.failed(what, GreenplumOutput.lastError(result) + "; its log is in ~" + config.greenplum().adminUser()
                            + "/gpAdminLogs/gpinitstandby_*.log on " + access.host(primary));
                    return false;
                }
                log.ok(what + " (" + result.elapsed().toSeconds() + " s)");
                return true;
            } catch (SshException e) {
                log.failed(what, e.getMessage());
                return false;
            }
        }

        @Override
        public Boolean awaitStreaming(RejoinPlan.AwaitStreaming step) {
            GpfoConfig.Node primaryNode = primary.of(config);
            Instant started = clock.now();
            Instant nextProgress = started.plus(PROGRESS_EVERY);
            while (true) {
                EvidenceProbes.SqlAnswer answer = probes.sql(primaryNode, config.ssh().connectTimeout());
                Optional<DatabaseStatus.Sender> sender = answer.status().flatMap(status -> status.senders().stream()
                        .filter(DatabaseStatus.Sender::streaming).findFirst());
                if (sender.isPresent()) {
                    log.ok(step.targetHost() + " streams from " + primaryNode.host() + " (" + sender.get().syncState() + ", lag "
                            + sender.get().lagBytes() + " bytes)");
                    return true;
                }
                Instant now = clock.now();
                if (!now.isBefore(started.plus(STREAMING_WAIT))) {
                    log.failed("wait for " + step.targetHost() + " to stream", "not streaming after " + STREAMING_WAIT.toMinutes()
                            + " min (" + answer.status().map(status -> status.senders().isEmpty() ? "no standby connected"
                                    : "state " + status.senders().get(0).state()).orElse(answer.error()) + ")");
                    return false;
                }
                if (!now.isBefore(nextProgress)) {
                    log.note("waiting for " + step.targetHost() + " to stream (" + Duration.between(started, now).toSeconds()
                            + " s)");
                    nextProgress = now.plus(PROGRESS_EVERY);
                }
                try {
                    clock.sleep(Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    log.failed("wait for " + step.targetHost() + " to stream", "interrupted");
                    return false;
                }
            }
        }

        @Override
        public Boolean rearm(RejoinPlan.Rearm step) {
            // the pause this rejoin (or switchover) took ends with 'resume', which leaves the resume marker on
            // both hosts: the new standby's agent leaves a stepped-down or failed phase and watches, and the
            // primary's sees its standby back; a pause an operator took stays until 'gpfo resume'
            log.ok("the pair is whole: " + facts.targetHost() + " is the standby of " + access.host(primary)
                    + (pauses.current().map(pause -> pause.by().equals(PAUSED_BY) || pause.by().equals(Switchover.PAUSED_BY))
                            .orElse(true) ? "; the agents watch again once this pause is lifted (next lines)" : "; the agents stay paused until 'gpfo resume'"));
            return true;
        }
    }
}
