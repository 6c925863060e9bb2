package io.gpfo.vip;

import static io.gpfo.testing.TestCluster.ARP_ANNOUNCE;
import static io.gpfo.testing.TestCluster.IP_DEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpfo.testing.FakeShell;
import io.gpfo.testing.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's announcement of the VIP: its gratuitous ARPs in the background (arping waits a second
 * after each), and only while the VIP is still here: dropping it cancels them, and none goes out after a drop.
 */
class ArpRepeatsTest {

    private static final String ONE_ARP = "/usr/sbin/arping -U -c 1 -I eth0 -s 10.77.0.100 10.77.0.100";

    @TempDir
    Path state;

    private TestCluster cluster;
    private final List<String> failures = new ArrayList<>();

    @BeforeEach
    void setUp() {
        cluster = TestCluster.onStandbyHost(state);
        cluster.vip.addLocally();
    }

    @Test
    void theArpsGoOutInTheBackgroundTheFirstAtOnceThenOneASecond() {
        cluster.vip.announceInBackground(failures::add);

        assertThat(cluster.shell.calls(ARP_ANNOUNCE)).isEmpty();
        assertThat(cluster.arpRepeats.pending()).containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2));

        cluster.arpRepeats.runAll();

        assertThat(cluster.shell.calls(ARP_ANNOUNCE)).containsExactly("smdw: " + ONE_ARP, "smdw: " + ONE_ARP, "smdw: " + ONE_ARP);
        assertThat(failures).isEmpty();
    }

    @Test
    void waitingForTheRepeatsSendsThemAllInOneCommandAsBefore() {
        cluster.vip.announce();

        assertThat(cluster.shell.calls(ARP_ANNOUNCE)).containsExactly(
                "smdw: /usr/sbin/arping -U -c 3 -I eth0 -s 10.77.0.100 10.77.0.100");
        assertThat(cluster.arpRepeats.pending()).isEmpty();
    }

    @Test
    void droppingTheVipCancelsTheArpsNotSentYet() {
        cluster.vip.announceInBackground(failures::add);
        cluster.arpRepeats.runFirst();

        cluster.vip.downLocally();
        assertThat(cluster.arpRepeats.pending()).isEmpty();
        cluster.arpRepeats.runAll();

        assertThat(cluster.shell.calls(IP_DEL)).hasSize(1);
        assertThat(cluster.shell.calls(ARP_ANNOUNCE)).hasSize(1);
    }

    @Test
    void anArpScheduledBeforeADropIsNotSentEvenWhenTheVipCameBackSince() {
        cluster.vip.announceInBackground(failures::add);
        cluster.vip.downLocally();
        cluster.vip.addLocally();

        cluster.arpRepeats.runAll();

        assertThat(cluster.shell.calls(ARP_ANNOUNCE)).isEmpty();
    }

    @Test
    void anArpIsNotSentWhenTheVipWasRemovedBehindTheAgentsBack() {
        cluster.vip.announceInBackground(failures::add);
        cluster.addresses.holdVip(false); // 'gpfo vip down' by hand, or the peer's fence over SSH

        cluster.arpRepeats.runAll();

        assertThat(cluster.shell.calls(ARP_ANNOUNCE)).isEmpty();
    }

    @Test
    void aDropWaitsForAnArpBeingSentSoThatNoneFollowsIt() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        cluster.vip.announceInBackground(failures::add);
        cluster.shell.on("smdw", ARP_ANNOUNCE, argv -> {
            sending.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeShell.ok("Sent 1 probes (1 broadcast(s))\n");
        });
        Thread repeats = new Thread(cluster.arpRepeats::runAll);
        repeats.start();
        assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
        Thread drop = new Thread(cluster.vip::downLocally);
        drop.start();
        // the drop is blocked behind the ARP in flight: the VIP is still here until that ARP is out
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (drop.getState() != Thread.State.BLOCKED && drop.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(drop.getState()).isEqualTo(Thread.State.BLOCKED);
        assertThat(cluster.addresses.holdsVip()).isTrue();

        release.countDown();
        drop.join(10_000);
        repeats.join(10_000);

        assertThat(cluster.addresses.holdsVip()).isFalse();
        // the ARP in flight went out before the drop; a repeat may win the lock before the waiting drop does
        // (the lock is not fair), but none is sent after the address is gone
        List<String> calls = cluster.shell.calls();
        int dropped = cluster.shell.indexOf(IP_DEL);
        assertThat(dropped).isNotNegative();
        assertThat(calls.subList(0, dropped)).anyMatch(call -> call.contains(ARP_ANNOUNCE));
        assertThat(calls.subList(dropped, calls.size())).noneMatch(call -> call.contains(ARP_ANNOUNCE));
    }

    @Test
    void anArpThatFailsIsSaidAndTheNextOneTriesAgain() {
        cluster.shell.answer("smdw", ARP_ANNOUNCE, FakeShell.exit(2, "", "arping: socket: Operation not permitted"));
        cluster.vip.announceInBackground(failures::add);

        cluster.arpRepeats.runAll();

        assertThat(cluster.shell.calls(ARP_ANNOUNCE)).hasSize(6); // each directly, then through sudo -n
        assertThat(failures).hasSize(3).allSatisfy(why -> assertThat(why).contains("gratuitous ARP failed"));
    }

    @Test
    void theCommandsWaitingForTheirArpsSayWhenTheyFail() {
        cluster.shell.answer("smdw", ARP_ANNOUNCE, FakeShell.exit(2, "", "arping: socket: Operation not permitted"));

        assertThatThrownBy(cluster.vip::announce).isInstanceOf(VipControl.VipException.class)
                .hasMessageContaining("gratuitous ARP failed");
    }
}
