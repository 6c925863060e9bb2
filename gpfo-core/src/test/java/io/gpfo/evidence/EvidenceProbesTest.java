package io.gpfo.evidence;

import static io.gpfo.testing.TestCluster.ARP_PROBE;
import static io.gpfo.testing.TestCluster.INSPECT;
import static io.gpfo.testing.TestCluster.IP_SHOW;
import static io.gpfo.testing.TestCluster.IP_WITH_VIP;
import static io.gpfo.testing.TestCluster.LOCAL;
import static io.gpfo.testing.TestCluster.PEER;
import static io.gpfo.testing.TestCluster.PING;
import static io.gpfo.testing.TestCluster.PRIMARY;
import static io.gpfo.testing.TestCluster.STANDBY;
import static io.gpfo.testing.TestCluster.WITNESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.decision.Observation;
import io.gpfo.decision.Observation.WitnessVote;
import io.gpfo.node.NodeName;
import io.gpfo.node.Role;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.TestCluster;
import io.gpfo.vip.DuplicateProbe;
import io.gpfo.vip.VipClaim;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import io.gpfo.ssh.SshException;
import io.gpfo.ssh.SshFailure;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evidence probes shared by the agent and 'gpfo promote': each question asked one way, each answer a record. */
class EvidenceProbesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path state;

    private final ExecutorService fanOut = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        fanOut.shutdownNow();
    }

    private EvidenceProbes probes(TestCluster cluster) {
        return new EvidenceProbes(cluster.access, cluster.sql, cluster.vip, fanOut);
    }

    @Test
    void everyWitnessIsAskedAtOnceAndOnlyItsScriptLineIsAVote() {
        TestCluster cluster = TestCluster.onStandbyHost(state, Map.of("witnesses", "{hosts: [sdw1, sdw2, sdw3]}"));
        // each witness answers only once all three are being asked: asked one after another, none would
        CountDownLatch asked = new CountDownLatch(3);
        cluster.shell.on("sdw1", WITNESS, argv -> {
            meet(asked);
            return FakeShell.exit(0, "db=no icmp=no\n", "Warning: Permanently added 'sdw1' (ED25519) to the list of known hosts.");
        }).on("sdw2", WITNESS, argv -> {
            meet(asked);
            return FakeShell.exit(127, "", "bash: timeout: command not found");
        }).on("sdw3", WITNESS, argv -> {
            meet(asked);
            throw FakeShell.connectTimedOut("sdw3");
        });

        Observation.Witnesses witnesses = probes(cluster).witnesses(cluster.config.coordinator(), TIMEOUT);

        assertThat(witnesses.configured()).isEqualTo(3);
        assertThat(witnesses.votes()).containsExactly(new WitnessVote("sdw1", Optional.of(new WitnessVote.Reach(false, false))),
                WitnessVote.silent("sdw2"), WitnessVote.unasked("sdw3", new SshFailure(Optional.of(SshException.Kind.UNREACHABLE),
                        "connect to sdw3 port 22 timed out")));
        assertThat(cluster.shell.calls(WITNESS)).containsExactlyInAnyOrder("sdw1: bash -c " + WITNESS + "mdw 5432 1",
                "sdw2: bash -c " + WITNESS + "mdw 5432 1", "sdw3: bash -c " + WITNESS + "mdw 5432 1");
    }

    /** Waits, bounded, until every witness is being asked at the same time. */
    private static void meet(CountDownLatch everyone) {
        everyone.countDown();
        try {
            if (!everyone.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the witnesses were asked one after another, not at once");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void noWitnessesConfiguredAsksNobody() {
        TestCluster cluster = TestCluster.onStandbyHost(state);

        assertThat(probes(cluster).witnesses(cluster.config.coordinator(), TIMEOUT)).isEqualTo(Observation.Witnesses.NONE);
        assertThat(cluster.shell.calls()).isEmpty();
    }

    @Test
    void claimFactsOfAPrimaryWhosePeerCannotBeAsked() {
        TestCluster cluster = TestCluster.onStandbyHost(state);
        cluster.sql.answers(LOCAL, PRIMARY).down(PEER);
        cluster.shell.unreachable(PEER);

        VipClaim.Facts facts = probes(cluster).claimFacts(TIMEOUT);

        assertThat(facts).isEqualTo(new VipClaim.Facts(PEER, Role.PRIMARY, false, VipClaim.PeerVip.UNKNOWN, VipClaim.PeerRole.UNKNOWN,
                Optional.of(DuplicateProbe.NOBODY)));
    }

    @Test
    void claimFactsOfAStandbyWhosePeerIsThePrimaryWithTheVip() {
        TestCluster cluster = TestCluster.onStandbyHost(state);
        cluster.sql.answers(LOCAL, STANDBY).answers(PEER, PRIMARY);
        cluster.shell.answer(PEER, IP_SHOW, FakeShell.ok(IP_WITH_VIP)).answer(LOCAL, ARP_PROBE, FakeShell.exit(1,
                "Unicast reply from 10.77.0.100 [4A:1B:2C:3D:4E:5F]  0.623ms\nReceived 1 response(s)\n", ""));

        VipClaim.Facts facts = probes(cluster).claimFacts(TIMEOUT);

        assertThat(facts).isEqualTo(new VipClaim.Facts(PEER, Role.STANDBY, false, VipClaim.PeerVip.HOLDS,
                VipClaim.PeerRole.PRIMARY, Optional.of(new DuplicateProbe(true, Optional.of("4a:1b:2c:3d:4e:5f")))));
        assertThat(VipClaim.judge(facts).kind()).isEqualTo(VipClaim.Kind.REFUSED);
    }

    @Test
    void claimFactsWhenThisHostHoldsTheVipTakeNoArpProbe() {
        TestCluster cluster = TestCluster.onStandbyHost(state);
        cluster.addresses.holdVip(true);
        cluster.sql.answers(LOCAL, PRIMARY).answers(PEER, STANDBY);

        VipClaim.Facts facts = probes(cluster).claimFacts(TIMEOUT);

        assertThat(facts).isEqualTo(new VipClaim.Facts(PEER, Role.PRIMARY, true, VipClaim.PeerVip.FREE, VipClaim.PeerRole.NOT_PRIMARY,
                Optional.empty()));
        assertThat(cluster.shell.calls(ARP_PROBE)).isEmpty();
    }

    @Test
    void anArpProbeThatFailsIsNoProbe() {
        TestCluster cluster = TestCluster.onStandbyHost(state);
        cluster.shell.answer(LOCAL, ARP_PROBE, FakeShell.exit(2, "", "arping: socket: Operation not permitted"));

        assertThat(probes(cluster).vipProbe()).isEmpty();
    }

    @Test
    void sqlAndPostmasterAnswersCarryWhyThereWasNone() {
        TestCluster cluster = TestCluster.onStandbyHost(state);
        cluster.sql.down(PEER);
        cluster.shell.answer(PEER, INSPECT, FakeShell.ok("Last login: yesterday\n"));

        EvidenceProbes probes = probes(cluster);

        assertThat(probes.sql(cluster.config.coordinator(), TIMEOUT)).isEqualTo(new EvidenceProbes.SqlAnswer(Optional.empty(),
                "connection to mdw refused"));
        assertThat(probes.postmaster(NodeName.COORDINATOR).inspection()).isEmpty();
        assertThat(probes.postmaster(NodeName.COORDINATOR).sshError()).startsWith("unexpected inspection output: Last login");
        assertThat(probes.postmaster(NodeName.COORDINATOR).failure().orElseThrow().kind()).as("ran, but no usable answer")
                .isEmpty();
        cluster.shell.unreachable(PEER);
        assertThat(probes.postmaster(NodeName.COORDINATOR)).isEqualTo(EvidenceProbes.PostmasterView.unreachable(new SshFailure(
                Optional.of(SshException.Kind.UNREACHABLE), "connect to mdw port 22 timed out")));
        cluster.shell.hostKeyChanged(PEER);
        assertThat(probes.postmaster(NodeName.COORDINATOR).failure()).hasValueSatisfying(failure -> {
            assertThat(failure.hostKey()).isTrue();
            assertThat(failure.message()).contains("has CHANGED");
        });
    }

    @Test
    void aWitnessWhoseHostKeyChangedIsNoVoteAndSaysWhy() {
        TestCluster cluster = TestCluster.onStandbyHost(state, Map.of("witnesses", "{hosts: [sdw1, sdw2]}"));
        cluster.shell.on("sdw1", WITNESS, argv -> FakeShell.exit(0, "db=no icmp=no\n", "")).hostKeyChanged("sdw2");

        Observation.Witnesses witnesses = probes(cluster).witnesses(cluster.config.coordinator(), TIMEOUT);

        assertThat(witnesses.sayHostUnreachable()).isEqualTo(1);
        WitnessVote refused = witnesses.votes().get(1);
        assertThat(refused.answered()).isFalse();
        assertThat(refused.hostKeyRefused()).isTrue();
        assertThat(refused.unasked().orElseThrow().message()).contains("host key of sdw2 has CHANGED");
        assertThat(refused.toString()).isEqualTo("sdw2: no vote, host key not verified");
    }

    @Test
    void onePingToTheGatewayInWholeSeconds() {
        TestCluster cluster = TestCluster.onStandbyHost(state);

        assertThat(probes(cluster).ping("10.77.0.1", Duration.ofMillis(200))).isTrue();
        cluster.shell.answer(LOCAL, PING, FakeShell.exit(1, "1 packets transmitted, 0 received", ""));
        assertThat(probes(cluster).ping("10.77.0.1", Duration.ofMillis(1500))).isFalse();
        assertThat(cluster.shell.calls(PING)).containsExactly("smdw: ping -n -q -c 1 -W 1 10.77.0.1",
                "smdw: ping -n -q -c 1 -W 2 10.77.0.1");
        assertThat(EvidenceProbes.wholeSeconds(Duration.ofSeconds(3))).isEqualTo("3");
    }
}
