package io.gpfo.lifecycle;

import io.gpfo.config.GpfoConfig;
import io.gpfo.evidence.EvidenceProbes;
import io.gpfo.greenplum.ControlData;
import io.gpfo.greenplum.GreenplumOutput;
import io.gpfo.greenplum.GreenplumRelease;
import io.gpfo.greenplum.Lsn;
import io.gpfo.greenplum.VersionDetector;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.AgentJournals;
import io.gpfo.node.NodeName;
import io.gpfo.pause.PauseControl;
import io.gpfo.port.Clock;
import io.gpfo.port.CommandResult;
import io.gpfo.port.StepLog;
import io.gpfo.promote.PromotionOutcome;
import io.gpfo.promote.Promoter;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.SshException;
import io.gpfo.state.Journal;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A planned role swap with zero data loss, run on the standby host: the agents paused, the coordinator
 * stopped cleanly, its shutdown checkpoint read, the promotion only once this standby has received and
 * replayed at least that far (else the old coordinator is started again and nothing is lost), then the
 * same promotion as 'gpfo promote', the VIP moved, and the old coordinator re-added as the standby.
 */
public final class Switchover {

    public static final String PAUSED_BY = "gpfo switchover";
    private static final Duration PAUSE_BOUND = Duration.ofHours(2);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static final Duration SERVED_WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private final NodeAccess access;
    private final GpfoConfig config;
    private final CoordinatorSql sql;
    private final EvidenceProbes probes;
    private final PauseControl pauses;
    private final Promoter promoter;
    private final Rejoin rejoin;
    private final Clock clock;
    private final StepLog log;
    private final Executor parallel;

    public Switchover(NodeAccess access, CoordinatorSql sql, EvidenceProbes probes, PauseControl pauses, Promoter promoter,
            Rejoin rejoin, Clock clock, StepLog log, Executor parallel) {
        this.access = access;
        this.config = access.config();
        this.sql = sql;
        this.probes = probes;
        this.pauses = pauses;
        this.promoter = promoter;
        this.rejoin = rejoin;
        this.clock = clock;
        this.log = log;
        this.parallel = parallel;
    }

    public enum Outcome {
        /** The roles are swapped and the old coordinator streams as the new standby. */
        SWITCHED,
        /** The roles are swapped; the old coordinator was not re-added (--no-rejoin, or the rejoin failed). */
        SWITCHED_WITHOUT_STANDBY,
        /** Not swapped: the old coordinator serves again, nothing was lost. */
        RESTORED,
        /** Stopped half-way: the message says the state and what to do. */
        FAILED
    }

    /** How it ended, the write outage when the new coordinator answered, and what to do next. */
    public record Result(Outcome outcome, Optional<Duration> writeOutage, String message) {
    }

    public SwitchoverFacts facts() {
        Duration timeout = config.ssh().connectTimeout();
        NodeName local = access.local();
        NodeName peer = local.peer();
        var localSql = CompletableFuture.supplyAsync(() -> probes.sql(local.of(config), timeout), parallel);
        var peerSql = CompletableFuture.supplyAsync(() -> probes.sql(peer.of(config), timeout), parallel);
        var peerPostmaster = CompletableFuture.supplyAsync(() -> probes.postmaster(peer), parallel);
        var peerJournal = CompletableFuture.supplyAsync(() -> AgentJournals.read(access, peer), parallel);
        AgentJournals.Read localJournal = AgentJournals.read(access, local);
        AgentJournals.Read remote = peerJournal.join();
        return new SwitchoverFacts(access.host(local), access.host(peer), localSql.join().status(), localSql.join().error(),
                peerSql.join().status(), peerSql.join().error(), peerPostmaster.join(), localJournal.journal(), remote.journal(),
                remote.problem());
    }

    /** Carries out a switchover whose plan is ready, with both agents paused. */
    public Result run(boolean rejoinAfter) throws IOException {
        return pauses.whilePaused(PAUSED_BY, clock.now(), PAUSE_BOUND, () -> swap(rejoinAfter)).orElseGet(() -> new Result(
                Outcome.FAILED, Optional.empty(), "the agents could not both be paused (see above): nothing was changed"));
    }

    private Result swap(boolean rejoinAfter) throws IOException {
        NodeName old = access.local().peer();
        String oldHost = access.host(old);
        GpfoConfig.Node oldNode = old.of(config);
        GreenplumRelease release;
        try {
            release = VersionDetector.detect(config.greenplum(), access.admin(), access.runner());
        } catch (RuntimeException e) {
            log.failed("detect the Greenplum version", e.getMessage());
            return new Result(Outcome.FAILED, Optional.empty(), "nothing was changed: " + e.getMessage());
        }
        Map<String, String> oldEnvironment = release.toolEnvironment(oldNode.port(), oldNode.dataDirectory());

        Instant stopped = clock.now();
        if (!stopCleanly(old, oldEnvironment)) {
            return new Result(Outcome.FAILED, Optional.empty(), "the coordinator " + oldHost + " was not stopped: nothing was"
                    + " changed");
        }
        Optional<Lsn> checkpoint = shutdownCheckpoint(old);
        if (checkpoint.isEmpty() || !caughtUp(checkpoint.get())) {
            return restore(old, oldEnvironment, checkpoint.isEmpty() ? "its shutdown checkpoint could not be read"
                    : "this standby did not receive and replay up to " + checkpoint.get() + " within " + CATCH_UP.toSeconds()
                            + " s");
        }

        PromotionOutcome promoted = promoter.execute(promoter.gather(), false);
        if (!promoted.promoted()) {
            boolean stillStandby = probes.sql(access.local().of(config), config.ssh().connectTimeout()).status()
                    .map(DatabaseStatus::inRecovery).orElse(false);
            if (stillStandby) {
                return restore(old, oldEnvironment, "the promotion failed: " + promoted.message());
            }
            return new Result(Outcome.FAILED, Optional.empty(), "the promotion failed after this host left recovery: "
                    + promoted.message() + " Do NOT start " + oldHost + " again: it is the old coordinator.");
        }
        Optional<Duration> outage = servedThroughVip(stopped);
        outage.ifPresentOrElse(took -> log.ok("write outage: " + took.toMillis() + " ms (" + oldHost + " stopped → "
                + access.host(access.local()) + " answering through the VIP " + config.vip().address() + ")"),
                () -> log.failed("the new coordinator answering through the VIP", "no answer within " + SERVED_WAIT.toSeconds()
                        + " s; 'gpfo status' shows where the VIP is"));
        if (!rejoinAfter) {
            return new Result(Outcome.SWITCHED_WITHOUT_STANDBY, outage, "switched; " + oldHost + " is stopped and not a"
                    + " standby: 'gpfo rejoin' re-adds it");
        }
        RejoinFacts facts = rejoin.facts();
        RejoinPlan plan = RejoinPlan.judge(facts, clock.now());
        plan.checks().forEach(check -> {
            if (check.ok()) {
                log.ok("rejoin: " + check.what() + (check.detail().isEmpty() ? "" : " (" + check.detail() + ")"));
            } else {
                log.failed("rejoin: " + check.what(), check.detail());
            }
        });
        boolean whole = plan.verdict() != RejoinPlan.Verdict.REFUSED && rejoin.runSteps(plan, facts);
        return whole ? new Result(Outcome.SWITCHED, outage, "switched: " + access.host(access.local()) + " is the coordinator, "
                + oldHost + " its standby")
                : new Result(Outcome.SWITCHED_WITHOUT_STANDBY, outage, "switched, but " + oldHost + " was not re-added as the"
                        + " standby (see above): 'gpfo rejoin' when the cause is fixed");
    }

    /** gpstop -m on the coordinator; judged by what runs afterwards, not by the tool's exit status alone. */
    private boolean stopCleanly(NodeName old, Map<String, String> environment) {
        String what = "gpstop -m -a -M fast on " + access.host(old);
        try {
            CommandResult result = access.runAsAdmin(old, List.of("gpstop", "-m", "-a", "-M", "fast"), environment, STOP_TIMEOUT);
            boolean running = probes.postmaster(old).inspection().map(inspection -> inspection.running()).orElse(true);
            if (running) {
                log.failed(what, (result.ok() ? "exit 0, but" : GreenplumOutput.lastError(result) + ";")
                        + " its postmaster still runs (or SSH could not tell)");
                return false;
            }
            log.ok(what + " (" + result.elapsed().toMillis() + " ms)");
            return true;
        } catch (SshException e) {
            log.failed(what, e.getMessage());
            return false;
        }
    }

    /** The stopped coordinator's shutdown checkpoint, from pg_controldata over SSH; empty unless it shut down cleanly. */
    private Optional<Lsn> shutdownCheckpoint(NodeName old) {
        String what = "read the shutdown checkpoint of " + access.host(old);
        try {
            CommandResult result = access.runAsAdmin(old, List.of("pg_controldata", old.of(config).dataDirectory().toString()),
                    Duration.ofSeconds(30));
            ControlData control = ControlData.parse(result.stdout());
            if (!control.cleanlyShutDown() || control.latestCheckpoint().isEmpty()) {
                log.failed(what, "pg_controldata says '" + control.clusterState() + "'"
                        + control.latestCheckpoint().map(lsn -> ", checkpoint " + lsn).orElse(", no checkpoint location"));
                return Optional.empty();
            }
            log.ok(what + ": " + control.latestCheckpoint().get() + " (" + control.clusterState() + ")");
            return control.latestCheckpoint();
        } catch (SshException | RuntimeException e) {
            log.failed(what, String.valueOf(e.getMessage()));
            return Optional.empty();
        }
    }

    /** Waits (bounded) until this standby has received and replayed at least {@code checkpoint}. */
    private boolean caughtUp(Lsn checkpoint) {
        Instant deadline = clock.now().plus(CATCH_UP);
        String last = "no answer";
        while (true) {
            EvidenceProbes.SqlAnswer answer = probes.sql(access.local().of(config), config.ssh().connectTimeout());
            Optional<DatabaseStatus.Receiver> receiver = answer.status().flatMap(DatabaseStatus::receiver);
            Optional<Lsn> received = receiver.flatMap(DatabaseStatus.Receiver::received).flatMap(Lsn::parse);
            Optional<Lsn> replayed = receiver.flatMap(DatabaseStatus.Receiver::replayed).flatMap(Lsn::parse);
            // replayed implies received; Greenplum 6's standby master says only how far it replayed (StandbyRefusal)
            if (replayed.isPresent() && replayed.get().atLeast(checkpoint)) {
                log.ok("this standby has " + received.map(lsn -> "received " + lsn + " and ").orElse("") + "replayed "
                        + replayed.get() + ": at or past the shutdown checkpoint " + checkpoint + ", nothing is lost");
                return true;
            }
            last = "received " + received.map(Lsn::toString).orElse("?") + ", replayed " + replayed.map(Lsn::toString).orElse("?");
            if (clock.now().isAfter(deadline)) {
                log.failed("catch up to " + checkpoint, last);
                return false;
            }
            if (!sleep(POLL)) {
                return false;
            }
        }
    }

    /** The old coordinator starts again: the switchover is off, and nothing was lost. */
    private Result restore(NodeName old, Map<String, String> environment, String why) {
        String oldHost = access.host(old);
        try {
            CommandResult started = access.runAsAdmin(old, List.of("gpstart", "-a"), environment, STOP_TIMEOUT);
            boolean serving = probes.sql(old.of(config), config.ssh().connectTimeout()).status()
                    .map(DatabaseStatus::primary).orElse(false);
            if (serving) {
                log.ok("gpstart -a on " + oldHost + ": it serves again");
                return new Result(Outcome.RESTORED, Optional.empty(), "not switched: " + why + ". " + oldHost + " was started"
                        + " again and serves as before; nothing was lost.");
            }
            log.failed("gpstart -a on " + oldHost, started.ok() ? "it does not answer SQL as the primary"
                    : GreenplumOutput.lastError(started));
        } catch (SshException e) {
            log.failed("gpstart -a on " + oldHost, e.getMessage());
        }
        return new Result(Outcome.FAILED, Optional.empty(), "not switched: " + why + ", and " + oldHost + " could not be started"
                + " again: start it by hand (gpstart -a on " + oldHost + "); this standby was not promoted.");
    }

    /** How long after the stop a client reached the new coordinator through the VIP (bounded). */
    private Optional<Duration> servedThroughVip(Instant stopped) {
        Instant deadline = clock.now().plus(SERVED_WAIT);
        String address = config.vip().address().toString();
        int port = access.local().of(config).port();
        while (clock.now().isBefore(deadline)) {
            try {
                if (sql.status(address, port, Duration.ofSeconds(1)).primary()) {
                    return Optional.of(Duration.between(stopped, clock.now()));
                }
            } catch (CoordinatorSql.SqlUnavailable e) {
                // not yet
            }
            if (!sleep(POLL)) {
                break;
            }
        }
        return Optional.empty();
    }

    private boolean sleep(Duration duration) {
        try {
            clock.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
