package io.gpfo.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.evidence.EvidenceProbes.PostmasterView;
import io.gpfo.greenplum.ControlData;
import io.gpfo.node.Inspection;
import io.gpfo.node.NodeName;
import io.gpfo.sql.DatabaseStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rejoin's judgement: one row per precondition, and the steps that follow from the facts. */
class RejoinPlanTest {

    static final Instant NOW = Instant.parse("2026-11-30T11:22:33Z");
    static final Path DIR = Path.of("/data/coordinator/gpseg-1");

    static final DatabaseStatus PRIMARY_ALONE = new DatabaseStatus(false, 150018, OptionalInt.of(2), List.of(), Optional.empty());
    static final DatabaseStatus PRIMARY_WITH_STANDBY = new DatabaseStatus(false, 150018, OptionalInt.of(2),
            List.of(new DatabaseStatus.Sender("gp_walreceiver", "streaming", "sync", 0)), Optional.empty());
    static final DatabaseStatus STANDBY = new DatabaseStatus(true, 150018, OptionalInt.of(2), List.of(), Optional.of(
            new DatabaseStatus.Receiver(Optional.of("0/5000000"), Optional.of("0/5000000"), OptionalLong.of(0),
                    Optional.of("streaming"), OptionalDouble.of(0.1))));

    static Inspection postmaster(Inspection.Postmaster state) {
        return new Inspection(state, state == Inspection.Postmaster.RUNNING ? OptionalLong.of(42) : OptionalLong.empty(),
                Optional.of("S"), Optional.of(new ControlData("shut down", OptionalInt.of(1))));
    }

    /** smdw is the acting primary after a failover; mdw stepped down, its old directory still there. */
    static RejoinFacts afterFailover() {
        return new RejoinFacts(Optional.of(NodeName.STANDBY), "", Optional.of(PRIMARY_ALONE), NodeName.COORDINATOR, "mdw", DIR,
                new PostmasterView(Optional.of(postmaster(Inspection.Postmaster.NOT_RUNNING)), Optional.empty()), Optional.empty(),
                OptionalLong.of(100L << 20), "", OptionalLong.of(10L << 30), "");
    }

    static RejoinFacts with(UnaryOperator<RejoinFacts> change) {
        return change.apply(afterFailover());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no acting primary", with(f -> new RejoinFacts(Optional.empty(), "no host answers SQL as the primary",
                        Optional.empty(), f.target(), f.targetHost(), f.dataDirectory(), f.targetPostmaster(), f.targetStatus(),
                        OptionalLong.empty(), "no acting primary", f.targetFreeBytes(), f.freeProblem())),
                        "the acting primary answers SQL", "no host answers SQL as the primary"),
                Arguments.of("the target does not answer SSH", with(f -> new RejoinFacts(f.actingPrimary(), "", f.primaryStatus(),
                        f.target(), f.targetHost(), f.dataDirectory(), PostmasterView.unreachable("connect timed out"),
                        f.targetStatus(), f.databaseBytes(), "", f.targetFreeBytes(), "")),
                        "mdw answers SSH", "connect timed out"),
                Arguments.of("the old coordinator still runs (as a primary)", with(f -> new RejoinFacts(f.actingPrimary(), "",
                        f.primaryStatus(), f.target(), f.targetHost(), f.dataDirectory(),
                        new PostmasterView(Optional.of(postmaster(Inspection.Postmaster.RUNNING)), Optional.empty()), Optional.of(PRIMARY_ALONE),
                        f.databaseBytes(), "", f.targetFreeBytes(), "")),
                        "no postmaster runs on mdw", "gpfo never touches a running coordinator"),
                Arguments.of("a standby is configured already", with(f -> new RejoinFacts(f.actingPrimary(), "",
                        Optional.of(PRIMARY_WITH_STANDBY), f.target(), f.targetHost(), f.dataDirectory(), f.targetPostmaster(),
                        f.targetStatus(), f.databaseBytes(), "", f.targetFreeBytes(), "")),
                        "no standby is configured yet", "gpinitstandby -r"),
                Arguments.of("not enough room", with(f -> new RejoinFacts(f.actingPrimary(), "", f.primaryStatus(), f.target(),
                        f.targetHost(), f.dataDirectory(), f.targetPostmaster(), f.targetStatus(), OptionalLong.of(100L << 20), "",
                        OptionalLong.of(110L << 20), "")),
                        "room for a full copy on mdw", "110 MiB free, 120 MiB needed"),
                Arguments.of("free space unknown is no yes", with(f -> new RejoinFacts(f.actingPrimary(), "", f.primaryStatus(),
                        f.target(), f.targetHost(), f.dataDirectory(), f.targetPostmaster(), f.targetStatus(), f.databaseBytes(), "",
                        OptionalLong.empty(), "df failed: exit 1")),
                        "room for a full copy on mdw", "free space on mdw is unknown: df failed"),
                Arguments.of("the primary's size unknown is no yes", with(f -> new RejoinFacts(f.actingPrimary(), "",
                        f.primaryStatus(), f.target(), f.targetHost(), f.dataDirectory(), f.targetPostmaster(), f.targetStatus(),
                        OptionalLong.empty(), "SQL to smdw:5432 failed", f.targetFreeBytes(), "")),
                        "room for a full copy on mdw", "size is unknown: SQL to smdw:5432 failed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesAndChangesNothing(String situation, RejoinFacts facts, String check, String fix) {
        RejoinPlan plan = RejoinPlan.judge(facts, NOW);

        assertThat(plan.verdict()).isEqualTo(RejoinPlan.Verdict.REFUSED);
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.checks()).filteredOn(c -> !c.ok()).extracting(Check::what).contains(check);
        assertThat(plan.checks()).filteredOn(c -> c.what().equals(check)).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains(fix));
    }

    @Test
    void theOldDirectoryGoesAsideWithAUtcStampThenGpinitstandbyThenTheWaitThenTheAgents() {
        RejoinPlan plan = RejoinPlan.judge(afterFailover(), NOW);

        assertThat(plan.verdict()).isEqualTo(RejoinPlan.Verdict.READY);
        assertThat(plan.checks()).allMatch(Check::ok);
        assertThat(plan.steps()).containsExactly(
                new RejoinPlan.MoveAside(DIR, Path.of("/data/coordinator/gpseg-1.gpfo-20261130T112233Z")),
                new RejoinPlan.InitStandby("mdw", DIR), new RejoinPlan.AwaitStreaming("mdw"), new RejoinPlan.Rearm());
    }

    @Test
    void noDataDirectoryOnTheTargetNothingToMoveAside() {
        RejoinFacts facts = with(f -> new RejoinFacts(f.actingPrimary(), "", f.primaryStatus(), f.target(), f.targetHost(),
                f.dataDirectory(), new PostmasterView(Optional.of(postmaster(Inspection.Postmaster.NO_DATA_DIRECTORY)), Optional.empty()),
                f.targetStatus(), f.databaseBytes(), "", f.targetFreeBytes(), ""));

        assertThat(RejoinPlan.judge(facts, NOW).steps()).first().isEqualTo(new RejoinPlan.InitStandby("mdw", DIR));
    }

    @Test
    void aReRunAfterGpinitstandbyOnlyWaitsAndReArms() {
        RejoinFacts facts = with(f -> new RejoinFacts(f.actingPrimary(), "", Optional.of(PRIMARY_WITH_STANDBY), f.target(),
                f.targetHost(), f.dataDirectory(), new PostmasterView(Optional.of(postmaster(Inspection.Postmaster.RUNNING)), Optional.empty()),
                Optional.of(STANDBY), f.databaseBytes(), "", f.targetFreeBytes(), ""));

        RejoinPlan plan = RejoinPlan.judge(facts, NOW);

        assertThat(plan.verdict()).isEqualTo(RejoinPlan.Verdict.RESUME);
        assertThat(plan.steps()).containsExactly(new RejoinPlan.AwaitStreaming("mdw"), new RejoinPlan.Rearm());
    }
}
