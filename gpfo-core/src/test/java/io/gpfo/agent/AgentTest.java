package io.gpfo.agent;

import static io.gpfo.testing.TestCluster.ACTIVATE;
import static io.gpfo.testing.TestCluster.FENCE;
import static io.gpfo.testing.TestCluster.INSPECT;
import static io.gpfo.testing.TestCluster.LOCAL;
import static io.gpfo.testing.TestCluster.PEER;
import static io.gpfo.testing.TestCluster.PRIMARY;
import static io.gpfo.testing.TestCluster.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.gpfo.api.ApiServer;
import io.gpfo.arbiter.FakeEtcd;
import io.gpfo.decision.Event;
import io.gpfo.node.NodeName;
import io.gpfo.node.Role;
import io.gpfo.history.EventLog;
import io.gpfo.history.EventRecord;
import io.gpfo.history.EventRecord.Kind;
import io.gpfo.state.Journal;
import io.gpfo.state.JournalStore;
import io.gpfo.state.PauseFile;
import io.gpfo.state.Phase;
import io.gpfo.testing.FakeHeartbeatPaths;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.LockHolder;
import io.gpfo.testing.TestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent loop against fakes: observation, decision, the journal written before the action and
 * after it, the event log; a dry run that does nothing; the resume marker; one agent per host.
 */
class AgentTest {

    /** Two failed rounds of three: the next failed round reaches the threshold. */
    private static final Journal AT_THRESHOLD = Journal.initial(START).withFailures(2).withPhase(Phase.SUSPECT, START);

    @TempDir
    Path state;

    private TestCluster cluster;
    private final FakeHeartbeatPaths paths = new FakeHeartbeatPaths();
    private final StringWriter log = new StringWriter();
    private JournalStore store;
    /** The journal on disk at the moment gpactivatestandby started. */
    private final AtomicReference<Optional<Journal>> journalAtActivation = new AtomicReference<>(Optional.empty());

    @BeforeEach
    void setUp() {
        cluster = TestCluster.onStandbyHost(state).coordinatorCrashed();
        store = new JournalStore(state);
    }

    private Agent agent(boolean dryRun) {
        return new Agent(cluster.access, cluster.sql, cluster.vip, cluster.clock, Optional.empty(), new PrintWriter(log), dryRun, paths);
    }

    /** gpactivatestandby notes the journal on disk, then exits with {@code exitCode}; on success the database is the primary. */
    private void activationAnswers(int exitCode) {
        activationAnswers(exitCode, "[CRITICAL]:-Error activating standby coordinator");
    }

    private void activationAnswers(int exitCode, String stderrWhenFailing) {
        cluster.shell.on(LOCAL, ACTIVATE, argv -> {
            try {
                journalAtActivation.set(store.read());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (exitCode == 0) {
                cluster.sql.answers(LOCAL, PRIMARY);
            }
            return FakeShell.exit(exitCode, "", exitCode == 0 ? "" : stderrWhenFailing);
        });
    }

    @Test
    void threeFailedRoundsPromoteWithTheJournalWrittenBeforeTheActionAndAfterIt() throws Exception {
        activationAnswers(0);
        Agent agent = agent(false);
        List<Phase> phases = new ArrayList<>();
        agent.onRound(snapshot -> {
            phases.add(snapshot.journal().phase());
            if (phases.size() == 3) {
                agent.stop();
            }
        });

        assertThat(agent.run(false)).isTrue();

        assertThat(phases).containsExactly(Phase.SUSPECT, Phase.SUSPECT, Phase.PROMOTED);
        assertThat(journalAtActivation.get()).hasValueSatisfying(journal -> assertThat(journal.phase()).isEqualTo(Phase.PROMOTING));
        Journal after = store.read().orElseThrow();
        assertThat(after.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(after.promotions().count()).isEqualTo(1);
        assertThat(after.promotions().fencePendingHost()).isEmpty();
        assertThat(cluster.shell.indexOf(FENCE)).isGreaterThan(cluster.shell.indexOf(INSPECT)).isLessThan(cluster.shell.indexOf(ACTIVATE));
        assertThat(cluster.addresses.holdsVip()).isTrue();
        // each round waited for the next by the clock, not by the wall
        assertThat(cluster.clock.now()).isAfterOrEqualTo(START.plus(Duration.ofSeconds(2)));
        assertThat(log.toString()).contains("promote done: this host is the new coordinator");
    }

    /**
     * HAProxy routes by /primary: the round that promotes already shows this host as the primary it
     * became (asked again after the action), so /primary says 200 without waiting for arping or for
     * the next round.
     */
    @Test
    void thePromotingRoundShowsThePrimaryItMadeSoSlashPrimaryAnswersAtOnce() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        cluster = TestCluster.onStandbyHost(state, Map.of("api", "{listen: 127.0.0.1, port: " + port + "}")).coordinatorCrashed();
        store.write(AT_THRESHOLD);
        activationAnswers(0);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicReference<Agent.Snapshot> shown = new AtomicReference<>();
        AtomicReference<HttpResponse<String>> primary = new AtomicReference<>();
        AtomicReference<List<Duration>> repeatsPending = new AtomicReference<>();
        Agent agent = agent(false);
        try (ApiServer api = ApiServer.start(cluster.config, NodeName.STANDBY, cluster.clock, new PrintWriter(log))) {
            agent.onRound(snapshot -> {
                api.publish(snapshot);
                shown.set(snapshot);
                repeatsPending.set(cluster.arpRepeats.pending());
                try {
                    primary.set(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/primary"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
                } catch (java.io.IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            });

            assertThat(agent.run(true)).isTrue();
        }

        assertThat(shown.get().journal().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(shown.get().observation().local().role()).isEqualTo(Role.PRIMARY);
        assertThat(shown.get().observation().vip().heldHere()).isTrue();
        assertThat(primary.get().statusCode()).isEqualTo(200);
        assertThat(primary.get().body()).startsWith("primary, phase promoted");
        // the round did not wait for arping: its ARPs go out in the background
        assertThat(repeatsPending.get()).containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(log.toString()).contains("3 gratuitous ARP for 10.77.0.100 going out in the background");
    }

    @Test
    void aRoundWithoutActionsShowsWhatItSawWithoutAskingAgain() throws Exception {
        store.write(AT_THRESHOLD);
        AtomicReference<Agent.Snapshot> shown = new AtomicReference<>();
        Agent agent = agent(true); // a dry run decides the promotion but carries out nothing
        agent.onRound(shown::set);
        activationAnswers(0);

        assertThat(agent.run(true)).isTrue();

        assertThat(shown.get().outcome().actions()).hasSize(1);
        assertThat(shown.get().observation().local().role()).isEqualTo(Role.STANDBY);
    }

    @Test
    void theEventLogHasTheAlertTheDecisionAndTheActionWithItsResult() throws Exception {
        store.write(AT_THRESHOLD);
        activationAnswers(0);

        assertThat(agent(false).run(true)).isTrue();

        List<EventRecord> events = new EventLog(state).read();
        assertThat(events).extracting(EventRecord::kind, EventRecord::event, EventRecord::result).containsExactly(
                tuple(Kind.ALERT, Event.PROMOTING.key(), Optional.empty()),
                tuple(Kind.DECISION, Phase.PROMOTING.label(), Optional.empty()),
                tuple(Kind.ACTION, "promote", Optional.of(EventRecord.Result.OK)));
        assertThat(events).allMatch(event -> event.host().equals(LOCAL));
        assertThat(events.get(1).message()).startsWith("promoting smdw: the coordinator mdw failed 3 rounds; its database crashed");
    }

    @Test
    void aFailedActivationIsJournalledAsFailedAndLoggedAsAFailedAction() throws Exception {
        store.write(AT_THRESHOLD);
        activationAnswers(1);

        assertThat(agent(false).run(true)).isTrue();

        assertThat(journalAtActivation.get()).hasValueSatisfying(journal -> assertThat(journal.phase()).isEqualTo(Phase.PROMOTING));
        assertThat(store.read().orElseThrow().phase()).isEqualTo(Phase.FAILED);
        EventRecord action = new EventLog(state).read().stream().filter(event -> event.kind() == Kind.ACTION).findFirst().orElseThrow();
        assertThat(action.result()).hasValue(EventRecord.Result.FAILED);
        assertThat(action.severity()).isEqualTo("critical");
        assertThat(action.message()).contains("Error activating standby coordinator");
        assertThat(cluster.addresses.holdsVip()).isFalse();
    }

    @Test
    void whatAFailedCommandPrintedReachesTheLogWithoutControlCharacters() throws Exception {
        store.write(AT_THRESHOLD);
        activationAnswers(1, "\u001b]0;pwned\u0007\u001b[2J\rall well");

        assertThat(agent(false).run(true)).isTrue();

        assertThat(log.toString()).contains("promote failed: gpactivatestandby failed (exit 1: ?]0;pwned??[2J?all well)")
                .doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\r");
    }

    @Test
    void aDryRunWritesNothingAndRunsNoAction() throws Exception {
        store.write(AT_THRESHOLD);
        byte[] before = Files.readAllBytes(store.file());
        Files.writeString(state.resolve(PauseFile.RESUME_FILE_NAME), "");

        assertThat(agent(true).run(true)).isTrue();

        assertThat(log.toString()).contains("dry run: would Promote[");
        assertThat(cluster.shell.calls(FENCE)).isEmpty();
        assertThat(cluster.shell.calls(ACTIVATE)).isEmpty();
        assertThat(Files.readAllBytes(store.file())).isEqualTo(before);
        assertThat(state.resolve(EventLog.FILE_NAME)).doesNotExist();
        assertThat(state.resolve("agent.lock")).doesNotExist();
        assertThat(PauseFile.resumeRequested(state)).isTrue();
    }

    @Test
    void theResumeMarkerIsConsumedByTheRoundThatActedOnIt() throws Exception {
        cluster.sql.answers(PEER, PRIMARY);
        paths.answering(true);
        store.write(Journal.initial(START).withPhase(Phase.FAILED, START));
        Files.writeString(state.resolve(PauseFile.RESUME_FILE_NAME), "");

        assertThat(agent(false).run(true)).isTrue();

        assertThat(PauseFile.resumeRequested(state)).isFalse();
        assertThat(store.read().orElseThrow().phase()).isEqualTo(Phase.WATCHING);
        assertThat(new EventLog(state).read()).extracting(EventRecord::event).contains(Event.RESUMED.key());
        assertThat(cluster.shell.calls(ACTIVATE)).isEmpty();
    }

    @Test
    void aSecondAgentOnTheSameStateDirectoryIsRefused() throws Exception {
        store.write(AT_THRESHOLD);
        byte[] before = Files.readAllBytes(store.file());

        try (LockHolder firstAgent = LockHolder.hold(state.resolve("agent.lock"))) {
            assertThat(agent(false).run(true)).isFalse();
        }

        assertThat(cluster.shell.calls()).isEmpty();
        assertThat(Files.readAllBytes(store.file())).isEqualTo(before);
        // the lock was the only obstacle: once the other agent is gone, this one runs
        activationAnswers(0);
        assertThat(agent(false).run(true)).isTrue();
        assertThat(store.read().orElseThrow().phase()).isEqualTo(Phase.PROMOTED);
    }

    @Test
    void theAgentClosesItsHeartbeatPathsWhenItStops() throws Exception {
        cluster.sql.answers(PEER, PRIMARY);

        agent(false).run(true);

        assertThat(paths.closed()).isTrue();
        assertThat(store.read().orElseThrow().phase()).isEqualTo(Phase.WATCHING);
    }

    @Test
    void roundsThatDoNotAskThePeersVipCarryItsLastAnswerWithWhenItWasGiven() throws Exception {
        cluster.sql.answers(PEER, PRIMARY);
        paths.answering(true);
        cluster.shell.answer(PEER, TestCluster.IP_SHOW, FakeShell.ok(TestCluster.IP_WITH_VIP));
        Agent agent = agent(false);
        List<Agent.Snapshot> rounds = new ArrayList<>();
        agent.onRound(snapshot -> {
            rounds.add(snapshot);
            if (rounds.size() == 3) {
                agent.stop();
            }
        });

        assertThat(agent.run(false)).isTrue();

        // the first round asked mdw, the next two did not (all is well: every tenth round)
        assertThat(rounds.get(0).observation().vip().peerHolds()).contains(true);
        assertThat(rounds.get(1).observation().vip().peerHolds()).isEmpty();
        assertThat(rounds.get(1).observation().vip().peerUnasked()).isEmpty();
        assertThat(rounds).extracting(Agent.Snapshot::peerVip).containsOnly(new PeerVipReading.Answered(true, START));
        assertThat(rounds.get(2).observation().at()).isAfter(START);
    }

    // ------------------------------------------------------------------ with an arbiter (an in-memory etcd member)
    private Agent agentWithArbiter(FakeEtcd etcd) {
        cluster = TestCluster.onStandbyHost(state, java.util.Map.of("arbiter", "{endpoints: [" + etcd.endpoint() + "], ttl: 5s}"))
                .coordinatorCrashed();
        return new Agent(cluster.access, cluster.sql, cluster.vip, cluster.clock, Optional.empty(), new PrintWriter(log), false,
                paths);
    }

    @Test
    void withAnArbiterTheStandbyTakesTheFreeKeyThenPromotes() throws Exception {
        try (FakeEtcd etcd = new FakeEtcd()) {
            Agent agent = agentWithArbiter(etcd);
            store.write(AT_THRESHOLD);
            activationAnswers(0);

            assertThat(agent.run(true)).isTrue();

            assertThat(etcd.values).containsEntry("/gpfo/gptest/leader", LOCAL);
            assertThat(store.read().orElseThrow().phase()).isEqualTo(Phase.PROMOTED);
            assertThat(log.toString()).contains("claim-leader done: the leader key names " + LOCAL);
        }
    }

    @Test
    void withAnArbiterALiveLeaseOfTheCoordinatorHoldsThePromotionBack() throws Exception {
        try (FakeEtcd etcd = new FakeEtcd()) {
            Agent agent = agentWithArbiter(etcd);
            etcd.heldBy("/gpfo/gptest/leader", PEER);
            store.write(AT_THRESHOLD);
            activationAnswers(0);

            assertThat(agent.run(true)).isTrue();

            assertThat(cluster.shell.indexOf(ACTIVATE)).isNegative();
            assertThat(store.read().orElseThrow().phase()).isEqualTo(Phase.SUSPECT);
            assertThat(new EventLog(state).read()).extracting(EventRecord::event).contains(Event.LEASE_HELD.key());
        }
    }

    @Test
    void aClaimLostToARaceStopsTheRoundsActionsSoNoPromotionRuns() throws Exception {
        try (FakeEtcd etcd = new FakeEtcd()) {
            Agent agent = agentWithArbiter(etcd);
            // the key is free when read, then the coordinator's agent takes it before this host's claim
            etcd.afterRange = () -> etcd.heldBy("/gpfo/gptest/leader", PEER);
            store.write(AT_THRESHOLD);
            activationAnswers(0);

            assertThat(agent.run(true)).isTrue();

            assertThat(cluster.shell.indexOf(ACTIVATE)).isNegative();
            assertThat(store.read().orElseThrow().phase()).isEqualTo(Phase.SUSPECT);
            assertThat(log.toString()).contains("claim-leader failed: etcd answered: the leader key is held by " + PEER)
                    .doesNotContain("promote done").doesNotContain("promote failed");
        }
    }
}
