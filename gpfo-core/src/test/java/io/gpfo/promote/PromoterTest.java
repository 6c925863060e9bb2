package io.gpfo.promote;

import static io.gpfo.testing.TestCluster.ACTIVATE;
import static io.gpfo.testing.TestCluster.ARP_ANNOUNCE;
import static io.gpfo.testing.TestCluster.ARP_PROBE;
import static io.gpfo.testing.TestCluster.CRASHED;
import static io.gpfo.testing.TestCluster.FENCE;
import static io.gpfo.testing.TestCluster.INSPECT;
import static io.gpfo.testing.TestCluster.IP_ADD;
import static io.gpfo.testing.TestCluster.IP_SHOW;
import static io.gpfo.testing.TestCluster.LOCAL;
import static io.gpfo.testing.TestCluster.NOTHING_TO_FENCE;
import static io.gpfo.testing.TestCluster.PEER;
import static io.gpfo.testing.TestCluster.PRIMARY;
import static io.gpfo.testing.TestCluster.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.node.Inspection;
import io.gpfo.port.CommandResult;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.RecordingStepLog;
import io.gpfo.testing.TestCluster;
import io.gpfo.vip.DuplicateProbe;
import io.gpfo.vip.VipControl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'gpfo promote' end to end against fakes: refuse without touching anything, fence first, activate, confirm, claim the VIP. */
class PromoterTest {

    private static final String ACTIVATED = "[INFO]:-The activation of the standby coordinator has completed successfully\n";
    private static final Optional<Inspection> CRASHED_PEER = Optional.of(Inspection.parse(CRASHED));

    @TempDir
    Path state;

    private TestCluster cluster;
    private final RecordingStepLog steps = new RecordingStepLog();
    private Promoter promoter;

    @BeforeEach
    void setUp() {
        cluster = TestCluster.onStandbyHost(state);
        promoter = new Promoter(cluster.access, cluster.sql, cluster.vip, cluster.clock, Optional.empty(), steps);
        cluster.sql.answers(LOCAL, STANDBY);
    }

    private static PromotionEvidence evidence(Optional<DatabaseStatus> peerSql, Optional<Inspection> peerInspection,
            Optional<DuplicateProbe> arp) {
        return new PromotionEvidence(PEER, Optional.of(STANDBY), "", peerSql, peerInspection,
                peerInspection.isPresent() ? "" : "connect to mdw port 22 timed out", arp, OptionalLong.of(0));
    }

    private static final PromotionEvidence PEER_UNREACHABLE = evidence(Optional.empty(), Optional.empty(),
            Optional.of(DuplicateProbe.NOBODY));
    private static final PromotionEvidence PEER_CRASHED = evidence(Optional.empty(), CRASHED_PEER, Optional.of(DuplicateProbe.NOBODY));

    /** gpactivatestandby succeeds, and from then on this host's database answers as the primary. */
    private void activationSucceeds() {
        cluster.shell.on(LOCAL, ACTIVATE, argv -> {
            cluster.sql.answers(LOCAL, PRIMARY);
            return FakeShell.ok(ACTIVATED);
        });
    }

    @Test
    void aRefusalChangesNothing() {
        PromotionOutcome outcome = promoter.promote(evidence(Optional.of(PRIMARY), Optional.empty(), Optional.of(DuplicateProbe.NOBODY)),
                false);

        assertThat(outcome.result()).isEqualTo(PromotionOutcome.Result.REFUSED);
        assertThat(outcome.message()).startsWith("refusing to promote: the coordinator mdw still answers SQL as primary")
                .endsWith("Nothing was changed.");
        assertThat(cluster.shell.calls()).isEmpty();
        assertThat(steps.lines()).anyMatch(line -> line.startsWith("FAILED  preflight: the coordinator mdw still answers SQL"));
    }

    @Test
    void evenForcedAHardRefusalChangesNothing() {
        PromotionEvidence alreadyPrimary = new PromotionEvidence(PEER, Optional.of(PRIMARY), "", Optional.empty(), Optional.empty(),
                "unreachable", Optional.empty(), OptionalLong.empty());

        PromotionOutcome outcome = promoter.promote(alreadyPrimary, true);

        assertThat(outcome.result()).isEqualTo(PromotionOutcome.Result.REFUSED);
        assertThat(outcome.message()).contains("already a primary");
        assertThat(cluster.shell.calls()).isEmpty();
    }

    @Test
    void theOldCoordinatorIsFencedBeforeActivationAndTheVipComesUpAfterIt() {
        cluster.shell.answer(PEER, FENCE, FakeShell.ok("fence=stopped 77\n"));
        activationSucceeds();

        PromotionOutcome outcome = promoter.promote(PEER_CRASHED, false);

        assertThat(outcome.result()).isEqualTo(PromotionOutcome.Result.PROMOTED);
        assertThat(outcome.peerFenced()).isTrue();
        assertThat(cluster.shell.calls()).hasSize(5);
        assertThat(cluster.shell.calls().get(0)).isEqualTo("mdw: " + IP_SHOW + " dev eth0");
        assertThat(cluster.shell.calls().get(1)).startsWith("mdw: ").endsWith(FENCE + "/data/coordinator/gpseg-1 5432");
        assertThat(cluster.shell.calls().get(2)).startsWith("smdw: ").endsWith(ACTIVATE + " -d /data/coordinator/gpseg-1 -a -q");
        assertThat(cluster.shell.calls().get(3)).isEqualTo("smdw: " + IP_ADD + " 10.77.0.100/24 dev eth0 label eth0:0");
        assertThat(cluster.shell.calls().get(4)).startsWith("smdw: " + ARP_ANNOUNCE);
        assertThat(cluster.addresses.holdsVip()).isTrue();
        assertThat(steps.lines()).contains("OK      fence: postmaster on mdw stopped (postmaster 77 stopped)", "OK      this host's database left recovery: it is"
                + " the primary now");
    }

    @Test
    void theManualPromotionWaitsForEveryArp() {
        cluster.shell.answer(PEER, FENCE, FakeShell.ok("fence=stopped 77\n"));
        activationSucceeds();

        promoter.promote(PEER_CRASHED, false);

        assertThat(cluster.shell.calls(ARP_ANNOUNCE)).containsExactly("smdw: " + ARP_ANNOUNCE
                + " -c 3 -I eth0 -s 10.77.0.100 10.77.0.100");
        assertThat(cluster.arpRepeats.pending()).isEmpty();
        assertThat(steps.lines()).contains("OK      3 gratuitous ARP sent for 10.77.0.100");
    }

    /** The agent's promotion is done once the VIP is up: its round, and /primary, do not wait for arping's seconds. */
    @Test
    void theAgentsPromotionSendsItsArpsInTheBackground() {
        cluster.shell.answer(PEER, FENCE, FakeShell.ok("fence=stopped 77\n"));
        activationSucceeds();
        Promoter agents = new Promoter(cluster.access, cluster.sql, cluster.vip, cluster.clock, Optional.empty(),
                Duration.ofSeconds(1), VipControl.Repeats.IN_BACKGROUND, steps);

        PromotionOutcome outcome = agents.promote(PEER_CRASHED, false);

        assertThat(outcome.result()).isEqualTo(PromotionOutcome.Result.PROMOTED);
        assertThat(cluster.shell.calls(ARP_ANNOUNCE)).isEmpty();
        assertThat(cluster.arpRepeats.pending()).hasSize(3);
        assertThat(steps.lines()).contains("OK      3 gratuitous ARP for 10.77.0.100 going out in the background, 1 s apart");

        cluster.arpRepeats.runAll();

        assertThat(cluster.shell.calls(ARP_ANNOUNCE)).hasSize(3).allSatisfy(call -> assertThat(call).isEqualTo("smdw: "
                + ARP_ANNOUNCE + " -c 1 -I eth0 -s 10.77.0.100 10.77.0.100"));
    }

    @Test
    void aFenceThatFailsStopsThePromotionUnlessForced() {
        cluster.shell.answer(PEER, FENCE, FakeShell.exit(1, "fence=failed postmaster 77 survived SIGKILL\n", ""));
        activationSucceeds();

        PromotionOutcome refused = promoter.promote(PEER_CRASHED, false);

        assertThat(refused.result()).isEqualTo(PromotionOutcome.Result.FAILED);
        assertThat(refused.message()).startsWith("could not fence the old coordinator mdw");
        assertThat(cluster.shell.calls(ACTIVATE)).isEmpty();
        assertThat(cluster.addresses.holdsVip()).isFalse();

        PromotionOutcome forced = promoter.promote(PEER_CRASHED, true);

        assertThat(forced.result()).isEqualTo(PromotionOutcome.Result.PROMOTED);
        assertThat(forced.peerFenced()).isFalse();
        assertThat(cluster.shell.calls(ACTIVATE)).singleElement().satisfies(call -> assertThat(call).endsWith("-a -q -f"));
    }

    @Test
    void aFailedActivationLeavesTheVipWhereItWas() {
        cluster.shell.answer(LOCAL, ACTIVATE, FakeShell.exit(1, "20261130:12:00:01:001234 gpactivatestandby:smdw:gpadmin-[CRITICAL]:-"
                + "Error activating standby coordinator: pg_ctl promote failed\n", ""));

        PromotionOutcome outcome = promoter.promote(PEER_UNREACHABLE, false);

        assertThat(outcome.result()).isEqualTo(PromotionOutcome.Result.FAILED);
        assertThat(outcome.message()).startsWith("gpactivatestandby failed (exit 1: Error activating standby coordinator: pg_ctl"
                + " promote failed). The VIP was not moved.");
        assertThat(cluster.shell.calls(IP_ADD)).isEmpty();
        assertThat(cluster.shell.calls(ARP_ANNOUNCE)).isEmpty();
        assertThat(cluster.addresses.holdsVip()).isFalse();
    }

    @Test
    void aDatabaseStillInRecoveryAfterActivationIsAFailedPromotion() {
        cluster.shell.answer(LOCAL, ACTIVATE, FakeShell.ok(ACTIVATED));

        PromotionOutcome outcome = promoter.promote(PEER_UNREACHABLE, false);

        assertThat(outcome.result()).isEqualTo(PromotionOutcome.Result.FAILED);
        assertThat(outcome.message()).startsWith("gpactivatestandby exited 0 but this host's database is still in recovery after 30 s");
        assertThat(cluster.clock.now()).isAfter(TestCluster.START.plusSeconds(30));
        assertThat(cluster.shell.calls(IP_ADD)).isEmpty();
    }

    @Test
    void anUnreachableOldCoordinatorIsPromotedOverWithTheVipClaimedAndTheFenceOwed() {
        activationSucceeds();

        PromotionOutcome outcome = promoter.promote(PEER_UNREACHABLE, false);

        assertThat(outcome.result()).isEqualTo(PromotionOutcome.Result.PROMOTED);
        assertThat(outcome.peerFenced()).isFalse();
        assertThat(outcome.message()).contains("could not be fenced");
        assertThat(cluster.shell.calls()).noneMatch(call -> call.startsWith("mdw: "));
        assertThat(cluster.addresses.holdsVip()).isTrue();
        assertThat(steps.lines()).contains("        cannot fence mdw now: unreachable over SSH (connect to mdw port 22 timed out)");
    }

    @Test
    void withoutAnArpProbeTheVipIsNotClaimed() {
        activationSucceeds();

        PromotionOutcome outcome = promoter.promote(evidence(Optional.empty(), Optional.empty(), Optional.empty()), false);

        assertThat(outcome.result()).isEqualTo(PromotionOutcome.Result.PROMOTED_WITHOUT_VIP);
        assertThat(outcome.message()).contains("no ARP probe of the VIP could be taken");
        assertThat(cluster.shell.calls(IP_ADD)).isEmpty();
    }

    @Test
    void gatherAsksTheSameQuestionsAsTheAgent() {
        cluster.sql.down(PEER);
        cluster.shell.answer(PEER, INSPECT, FakeShell.ok(CRASHED)).answer(PEER, FENCE, FakeShell.ok(NOTHING_TO_FENCE));

        PromotionEvidence gathered = promoter.gather();

        assertThat(gathered).isEqualTo(new PromotionEvidence(PEER, Optional.of(STANDBY), "", Optional.empty(), CRASHED_PEER, "",
                Optional.of(DuplicateProbe.NOBODY), OptionalLong.of(0)));
        assertThat(gathered.refusals(cluster.config)).isEmpty();
        assertThat(cluster.shell.calls(ARP_PROBE)).hasSize(1);
    }

    @Test
    void aTimedOutActivationSaysSo() {
        cluster.shell.answer(LOCAL, ACTIVATE, new CommandResult(-1, "", "", true, java.time.Duration.ofMinutes(12)));

        PromotionOutcome outcome = promoter.promote(PEER_UNREACHABLE, false);

        assertThat(outcome.result()).isEqualTo(PromotionOutcome.Result.FAILED);
        assertThat(outcome.message()).startsWith("gpactivatestandby failed (timed out after 720 s)");
    }
}
