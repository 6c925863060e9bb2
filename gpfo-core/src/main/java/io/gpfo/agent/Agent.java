package io.gpfo.agent;

import io.gpfo.alert.Alerter;
import io.gpfo.arbiter.ArbiterSession;
import io.gpfo.arbiter.EtcdGateway;
import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Action;
import io.gpfo.decision.Alert;
import io.gpfo.decision.Decision;
import io.gpfo.decision.Observation;
import io.gpfo.decision.Outcome;
import io.gpfo.heartbeat.Probes;
import io.gpfo.node.NodeAccess;
import io.gpfo.port.CommandResult;
import io.gpfo.ssh.SshException;
import io.gpfo.port.Clock;
import io.gpfo.port.StepLog;
import io.gpfo.port.Text;
import io.gpfo.promote.Promoter;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.state.Journal;
import io.gpfo.state.JournalStore;
import io.gpfo.state.PauseFile;
import io.gpfo.fence.Fencing;
import io.gpfo.history.EventLog;
import io.gpfo.history.EventRecord;
import io.gpfo.vip.VipControl;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The agent loop (docs/design.md §2, §3, §8): each round gathers observations, asks the decision what
 * to do, writes the journal, then carries out the actions. The journal is written before an
 * action runs (so a crash during a promotion is remembered as "promoting", never repeated) and
 * after (with the result). One agent per host: the journal's lock is held for the agent's life.
 */
public final class Agent {

    /**
     * A healthy round only moves the journal's last-healthy time and lag: that is written at most
     * this often (not an fsync per second on the database host); any other change is written at once.
     */
    private static final Duration HEALTHY_ROUND_WRITES = Duration.ofSeconds(10);

    private final GpfoConfig config;
    private final NodeAccess access;
    private final Clock clock;
    private final PrintWriter log;
    private final boolean dryRun;
    private final Decision decision;
    private final Probes probes;
    private final Optional<ArbiterSession> arbiter;
    private final Executor executor;
    private final JournalStore store;
    private final Alerter alerter;
    private final EventLog events;
    private final String localHost;
    private volatile boolean running = true;
    private volatile boolean sleeping;
    private volatile Thread loopThread;
    private Consumer<Snapshot> viewer = snapshot -> { };
    private Consumer<EventRecord> eventListener = event -> { };
    private Journal saved;
    private Instant savedAt = Instant.MIN;

    /**
     * What a live view (and the HTTP endpoint) shows after each round; {@code duration}: probes to last action;
     * {@code peerVip}: the peer's VIP as last asked, which need not be this round.
     */
    public record Snapshot(Observation observation, Journal journal, Outcome outcome, Duration duration, PeerVipReading peerVip) {
    }

    public Agent(NodeAccess access, CoordinatorSql sql, VipControl vip, Clock clock, Optional<Path> wrappers, PrintWriter log,
            boolean dryRun) {
        this(access, sql, vip, clock, wrappers, log, dryRun, Probes.HeartbeatPaths.live(access.config().heartbeat()));
    }

    /** @param paths how the heartbeat paths are asked: the live ones in production, a fake in unit tests */
    Agent(NodeAccess access, CoordinatorSql sql, VipControl vip, Clock clock, Optional<Path> wrappers, PrintWriter log,
            boolean dryRun, Probes.HeartbeatPaths paths) {
        this.config = access.config();
        this.access = access;
        this.clock = clock;
        this.log = log;
        this.dryRun = dryRun;
        String localHost = access.host(access.local());
        String peerHost = access.host(access.local().peer());
        this.decision = new Decision(config, localHost, peerHost);
        this.arbiter = config.arbiter().map(settings -> new ArbiterSession(new EtcdGateway(settings, config.heartbeat().timeout()),
                localHost, settings.ttl(), config.heartbeat().timeout(), config.state().directory(),
                timeout -> peerReach(access, peerHost, timeout, clock), clock));
        this.probes = new Probes(access, sql, vip, decision, clock, paths, arbiter);
        // the agent already knows the old coordinator is gone: gpactivatestandby's own ssh check of
        // it may take one heartbeat timeout (at least 1 s), not the full ssh.connect_timeout
        Duration wrapperTimeout = config.heartbeat().timeout().compareTo(config.ssh().connectTimeout()) < 0
                ? config.heartbeat().timeout() : config.ssh().connectTimeout();
        Promoter promoter = new Promoter(access, sql, vip, clock, wrappers, wrapperTimeout, VipControl.Repeats.IN_BACKGROUND,
                new LogSteps());
        this.executor = new Executor(access, vip, new Fencing(access, vip), promoter, arbiter);
        this.store = new JournalStore(config.state().directory());
        this.events = new EventLog(config.state().directory());
        this.localHost = localHost;
        this.alerter = new Alerter(config, access.runner(), log, localHost, access.remote(), peerHost);
    }

    /**
     * The peer agent's reach file, read over SSH: how its last round reached etcd (the failsafe's question);
     * not known when the file is stale (the peer's agent stopped writing it).
     */
    private static Optional<Observation.PeerReach> peerReach(NodeAccess access, String peerHost, Duration timeout, Clock clock) {
        try {
            CommandResult result = access.remote().run(peerHost, List.of("cat", access.config().state().directory()
                    .resolve(ArbiterSession.REACH_FILE).toString()), timeout);
            return result.ok() ? ArbiterSession.parsePeerReach(result.stdout(), clock.now(),
                    ArbiterSession.reachFileStaleAfter(access.config().heartbeat())) : Optional.empty();
        } catch (SshException e) {
            return Optional.empty();
        }
    }

    public void onRound(Consumer<Snapshot> view) {
        this.viewer = view;
    }

    /** Every alert, decision and action as it is recorded (also in a dry run, which writes no event log). */
    public void onEvent(Consumer<EventRecord> listener) {
        this.eventListener = listener;
    }

    /**
     * Runs until {@link #stop()} (or one round with {@code once}).
     *
     * @return false when another agent holds the lock
     */
    public boolean run(boolean once) throws IOException, InterruptedException {
        loopThread = Thread.currentThread();
        Optional<FileLock> lock = dryRun ? Optional.empty() : store.lock();
        if (!dryRun && lock.isEmpty()) {
            return false;
        }
        try {
            Journal journal = store.read().orElseGet(() -> Journal.initial(clock.now()));
            say("agent started on " + access.host(access.local()) + " (" + access.local().label() + " in gpfo.yaml), phase "
                    + journal.phase().label() + (dryRun ? ", dry run: actions are logged, not carried out" : ""));
            String lastReason = "";
            PeerVipReading peerVip = PeerVipReading.NOT_ASKED;
            while (running) {
                Instant started = clock.now();
                Observation observation = probes.gather(journal);
                peerVip = peerVip.after(observation);
                Outcome outcome = decision.decide(observation, journal);
                for (Alert alert : outcome.alerts()) {
                    alert(observation.at(), alert);
                }
                if (!outcome.reason().equals(lastReason)) {
                    say("decision: " + outcome.reason());
                    record(new EventRecord(observation.at(), localHost, EventRecord.Kind.DECISION, outcome.journal().phase()
                            .label(), "info", outcome.reason(), Optional.empty(), Optional.empty()));
                    lastReason = outcome.reason();
                }
                journal = outcome.journal();
                save(journal);
                if (observation.maintenance().resumeRequested() && !dryRun) {
                    PauseFile.clearResumeRequest(config.state().directory()); // decided and saved: consumed
                }
                for (Action action : outcome.actions()) {
                    if (dryRun) {
                        say("dry run: would " + action);
                        continue;
                    }
                    Decision.ActionResult result = executor.run(action, observation, journal, config.heartbeat().interval());
                    Decision.AfterAction after = decision.after(action, result, journal, clock.now());
                    journal = after.journal();
                    save(journal);
                    say(action.name() + (result.succeeded() ? " done: " : " failed: ") + result.detail());
                    record(new EventRecord(clock.now(), localHost, EventRecord.Kind.ACTION, action.name(),
                            result.succeeded() ? "info" : "critical", result.detail(), Optional.of(result.succeeded()
                                    ? EventRecord.Result.OK : EventRecord.Result.FAILED), Optional.empty()));
                    after.alerts().forEach(alert -> alert(clock.now(), alert));
                    if (after.endsRound()) {
                        break;
                    }
                }
                // an action changes what this host is (a promotion): the view, and /primary, say so now, not a round later
                Observation shown = dryRun || outcome.actions().isEmpty() ? observation : probes.localAgain(observation);
                viewer.accept(new Snapshot(shown, journal, outcome, Duration.between(started, clock.now()), peerVip));
                if (once) {
                    break;
                }
                sleepUntil(started.plus(config.heartbeat().interval()));
            }
            write(journal); // the last healthy round and lag, which save() may have held back, for the next start
            arbiter.ifPresent(ArbiterSession::renewAsTheAgentStops);
            say("agent stopped, phase " + journal.phase().label());
            return true;
        } finally {
            alerter.close();
            probes.close();
            arbiter.ifPresent(ArbiterSession::close);
            if (lock.isPresent()) {
                lock.get().release();
                lock.get().channel().close();
            }
        }
    }

    /**
     * Asks the loop to stop after the current round (SIGTERM). Only a sleeping loop is woken: an
     * interrupt during an action would kill, say, a running gpactivatestandby halfway.
     */
    public void stop() {
        running = false;
        Thread thread = loopThread;
        if (thread != null && sleeping) {
            thread.interrupt();
        }
    }

    private void alert(Instant at, Alert alert) {
        alerter.send(at, alert);
        record(new EventRecord(at, localHost, EventRecord.Kind.ALERT, alert.event().key(), alert.severity().label(),
                alert.message(), Optional.empty(), Optional.empty()));
    }

    /** The event log is for tools and history: a failed append is said in the log, never stops a round. */
    private void record(EventRecord record) {
        eventListener.accept(record);
        if (dryRun) {
            return;
        }
        try {
            events.append(record);
        } catch (IOException e) {
            say("WARNING cannot append to " + events.file() + ": " + e.getMessage());
        }
    }

    private void save(Journal journal) throws IOException {
        if (!journal.differsOnlyInHealthyRound(saved) || !clock.now().isBefore(savedAt.plus(HEALTHY_ROUND_WRITES))) {
            write(journal);
        }
    }

    private void write(Journal journal) throws IOException {
        if (dryRun || journal.equals(saved)) {
            return;
        }
        store.write(journal);
        saved = journal;
        savedAt = clock.now();
    }

    private void sleepUntil(Instant next) {
        Duration wait = Duration.between(clock.now(), next);
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        sleeping = true;
        try {
            if (running) {
                clock.sleep(wait);
            }
        } catch (InterruptedException e) {
            // stop() interrupts the sleep; the loop condition decides
        } finally {
            sleeping = false;
        }
    }

    /** One log line: what it quotes (a peer's stderr, an exception's message) cannot break the line or drive a terminal. */
    private void say(String text) {
        synchronized (log) {
            log.println(clock.now() + " " + Text.line(text));
            log.flush();
        }
    }

    /** The promotion's steps as log lines. */
    private final class LogSteps implements StepLog {
        @Override
        public void ok(String step) {
            say("promotion step OK: " + step);
        }

        @Override
        public void failed(String step, String why) {
            say("promotion step FAILED: " + step + ": " + why);
        }

        @Override
        public void note(String text) {
            say("promotion: " + text);
        }
    }
}
