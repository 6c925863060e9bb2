package io.gpfo.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.evidence.EvidenceProbes.PostmasterView;
import io.gpfo.greenplum.ControlData;
import io.gpfo.node.Inspection;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.state.Journal;
import io.gpfo.state.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The switchover's judgement: it runs on the standby and swaps only a healthy, streaming pair. */
class SwitchoverPlanTest {

    static final Instant NOW = Instant.parse("2026-11-30T11:00:00Z");
    static final DatabaseStatus STANDBY = new DatabaseStatus(true, 150018, OptionalInt.of(1), List.of(), Optional.of(
            new DatabaseStatus.Receiver(Optional.of("0/5000000"), Optional.of("0/5000000"), OptionalLong.of(0),
                    Optional.of("streaming"), OptionalDouble.of(0.1))));

    static DatabaseStatus primary(String state, long lag) {
        return new DatabaseStatus(false, 150018, OptionalInt.of(1), List.of(new DatabaseStatus.Sender("gp_walreceiver", state,
                "sync", lag)), Optional.empty());
    }

    static final PostmasterView MDW_RUNNING = new PostmasterView(Optional.of(new Inspection(Inspection.Postmaster.RUNNING,
            OptionalLong.of(7), Optional.of("S"), Optional.of(new ControlData("in production", OptionalInt.of(1))))), Optional.empty());

    static Optional<Journal> agent(Phase phase) {
        return Optional.of(Journal.initial(NOW).withPhase(phase, NOW));
    }

    static SwitchoverFacts facts(Optional<DatabaseStatus> local, Optional<DatabaseStatus> peer, PostmasterView peerPostmaster,
            Optional<Journal> localJournal, Optional<Journal> peerJournal, String peerJournalProblem) {
        return new SwitchoverFacts("smdw", "mdw", local, "connection refused", peer, "connection refused", peerPostmaster,
                localJournal, peerJournal, peerJournalProblem);
    }

    static SwitchoverFacts healthy() {
        return facts(Optional.of(STANDBY), Optional.of(primary("streaming", 128)), MDW_RUNNING, agent(Phase.WATCHING),
                agent(Phase.SERVING), "");
    }

    @Test
    void aHealthyStreamingPairIsReady() {
        SwitchoverPlan plan = SwitchoverPlan.judge(healthy(), OptionalLong.empty());

        assertThat(plan.ready()).isTrue();
        assertThat(plan.checks()).hasSize(6).allMatch(Check::ok);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("run on the primary", facts(Optional.of(primary("streaming", 0)), Optional.of(STANDBY), MDW_RUNNING,
                        agent(Phase.SERVING), agent(Phase.WATCHING), ""), "run 'gpfo switchover' on the standby mdw"),
                Arguments.of("this standby does not answer", facts(Optional.empty(), Optional.of(primary("streaming", 0)),
                        MDW_RUNNING, agent(Phase.WATCHING), agent(Phase.SERVING), ""), "connection refused"),
                Arguments.of("the coordinator does not answer SQL", facts(Optional.of(STANDBY), Optional.empty(), MDW_RUNNING,
                        agent(Phase.WATCHING), agent(Phase.SERVING), ""), "connection refused"),
                Arguments.of("the coordinator does not answer SSH", facts(Optional.of(STANDBY),
                        Optional.of(primary("streaming", 0)), PostmasterView.unreachable("host key of mdw has CHANGED"),
                        agent(Phase.WATCHING), agent(Phase.SERVING), ""), "host key of mdw has CHANGED"),
                Arguments.of("the standby is not streaming", facts(Optional.of(STANDBY), Optional.of(primary("catchup", 0)),
                        MDW_RUNNING, agent(Phase.WATCHING), agent(Phase.SERVING), ""), "no streaming standby on mdw"),
                Arguments.of("the lag is above the bound", facts(Optional.of(STANDBY), Optional.of(primary("streaming", 64L << 20)),
                        MDW_RUNNING, agent(Phase.WATCHING), agent(Phase.SERVING), ""), "wait for it to catch up"),
                Arguments.of("this agent's promotion failed", facts(Optional.of(STANDBY), Optional.of(primary("streaming", 0)),
                        MDW_RUNNING, agent(Phase.FAILED), agent(Phase.SERVING), ""), "phase failed"),
                Arguments.of("the coordinator's agent owes a fence", facts(Optional.of(STANDBY),
                        Optional.of(primary("streaming", 0)), MDW_RUNNING, agent(Phase.WATCHING), agent(Phase.FENCE_PENDING), ""),
                        "phase fence_pending"),
                Arguments.of("the coordinator's journal cannot be read", facts(Optional.of(STANDBY),
                        Optional.of(primary("streaming", 0)), MDW_RUNNING, agent(Phase.WATCHING), Optional.empty(),
                        "not a gpfo journal"), "could not be read: not a gpfo journal"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(String situation, SwitchoverFacts facts, String fix) {
        SwitchoverPlan plan = SwitchoverPlan.judge(facts, OptionalLong.empty());

        assertThat(plan.ready()).isFalse();
        assertThat(plan.checks()).filteredOn(check -> !check.ok()).extracting(Check::detail).anyMatch(detail -> detail.contains(fix));
    }

    @Test
    void promotionMaxLagBytesIsTheBoundWhenSet() {
        SwitchoverFacts facts = facts(Optional.of(STANDBY), Optional.of(primary("streaming", 2000)), MDW_RUNNING,
                agent(Phase.WATCHING), agent(Phase.SERVING), "");

        assertThat(SwitchoverPlan.judge(facts, OptionalLong.of(1000)).ready()).isFalse();
        assertThat(SwitchoverPlan.judge(facts, OptionalLong.of(4000)).ready()).isTrue();
    }
}
