package io.gpfo.fence;

import static io.gpfo.testing.TestCluster.FENCE;
import static io.gpfo.testing.TestCluster.IP_DEL;
import static io.gpfo.testing.TestCluster.IP_SHOW;
import static io.gpfo.testing.TestCluster.IP_WITH_VIP;
import static io.gpfo.testing.TestCluster.LOCAL;
import static io.gpfo.testing.TestCluster.PEER;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.node.NodeName;
import io.gpfo.node.PostmasterFence;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.TestCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one fence routine: the VIP goes first, then the postmaster, on the peer over SSH or on this host. */
class FencingTest {

    @TempDir
    Path state;

    private TestCluster cluster;
    private Fencing fencing;

    @BeforeEach
    void setUp() {
        cluster = TestCluster.onStandbyHost(state);
        fencing = new Fencing(cluster.access, cluster.vip);
    }

    @Test
    void thePeersVipGoesFirstThenItsPostmaster() {
        cluster.shell.answer(PEER, IP_SHOW, FakeShell.ok(IP_WITH_VIP)).answer(PEER, IP_DEL, FakeShell.ok(""))
                .answer(PEER, FENCE, FakeShell.ok("fence=stopped 77\n"));

        Fencing.Report report = fencing.fence(NodeName.COORDINATOR);

        assertThat(report.fenced()).isTrue();
        assertThat(report.describe()).isEqualTo("mdw: VIP removed, postmaster 77 stopped");
        assertThat(cluster.shell.calls()).hasSize(3);
        assertThat(cluster.shell.calls().get(0)).isEqualTo("mdw: " + IP_SHOW + " dev eth0");
        assertThat(cluster.shell.calls().get(1)).isEqualTo("mdw: sudo -n " + IP_DEL + " 10.77.0.100/24 dev eth0");
        assertThat(cluster.shell.calls().get(2)).startsWith("mdw: bash -c").endsWith(FENCE + "/data/coordinator/gpseg-1 5432");
    }

    @Test
    void anUnreachablePeerIsNotFencedAndTheReportSaysWhy() {
        cluster.shell.unreachable(PEER);

        Fencing.Report report = fencing.fence(NodeName.COORDINATOR);

        assertThat(report.fenced()).isFalse();
        assertThat(report.vipFailure()).hasValue("connect to mdw port 22 timed out");
        assertThat(report.postmaster().result()).isEqualTo(PostmasterFence.Result.NOT_RUN);
        assertThat(report.describe()).isEqualTo("mdw: VIP not removed (connect to mdw port 22 timed out), connect to mdw port 22"
                + " timed out");
    }

    @Test
    void aVipThatCouldNotBeRemovedLeavesThePeerUnfencedButItsPostmasterIsStillStopped() {
        cluster.shell.answer(PEER, IP_SHOW, FakeShell.ok(IP_WITH_VIP))
                .answer(PEER, IP_DEL, FakeShell.exit(1, "", "sudo: a password is required"))
                .answer(PEER, FENCE, FakeShell.ok("fence=stopped 77\n"));

        Fencing.Report report = fencing.fence(NodeName.COORDINATOR);

        assertThat(report.fenced()).isFalse();
        assertThat(report.vipFailure()).hasValueSatisfying(why -> assertThat(why).contains("sudo: a password is required"));
        assertThat(report.postmaster().done()).isTrue();
    }

    @Test
    void aPostmasterThatSurvivesLeavesThePeerUnfenced() {
        cluster.shell.answer(PEER, FENCE, FakeShell.exit(1, "fence=failed postmaster 77 survived SIGKILL\n", ""));

        Fencing.Report report = fencing.fence(NodeName.COORDINATOR);

        assertThat(report.fenced()).isFalse();
        assertThat(report.describe()).isEqualTo("mdw: VIP removed, postmaster 77 survived SIGKILL");
    }

    @Test
    void thisHostIsFencedLocallyWithoutSsh() {
        cluster.addresses.holdVip(true);
        cluster.shell.answer(LOCAL, FENCE, FakeShell.ok("fence=stopped 88\n"));

        Fencing.Report report = fencing.fence(NodeName.STANDBY);

        assertThat(report.fenced()).isTrue();
        assertThat(report.describe()).isEqualTo("smdw: VIP removed, postmaster 88 stopped");
        assertThat(cluster.addresses.holdsVip()).isFalse();
        assertThat(cluster.shell.calls()).allMatch(call -> call.startsWith("smdw: "));
        assertThat(cluster.shell.indexOf(IP_DEL)).isLessThan(cluster.shell.indexOf(FENCE));
    }
}
