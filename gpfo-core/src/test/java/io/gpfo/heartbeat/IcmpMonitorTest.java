package io.gpfo.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IcmpMonitorTest {

    private final IcmpMonitor.Replies replies = new IcmpMonitor.Replies();

    @BeforeEach
    void expectReplies() {
        replies.expectFrom("10.77.0.11");
    }

    @Test
    void onlyAnEchoReplyFromTheAddressCounts() throws Exception {
        replies.line("PING 10.77.0.11 (10.77.0.11) 56(84) bytes of data.");
        replies.line("no answer yet for icmp_seq=1");
        replies.line("From 10.77.0.12 icmp_seq=2 Destination Host Unreachable");
        replies.line("64 bytes from 10.77.0.111: icmp_seq=3 ttl=64 time=0.061 ms");
        assertThat(replies.await(Duration.ofMillis(50))).isFalse();

        replies.line("64 bytes from 10.77.0.11: icmp_seq=4 ttl=64 time=0.069 ms");
        assertThat(replies.await(Duration.ofMillis(50))).isTrue();
    }

    @Test
    void aReplyDuringTheWaitAnswersTheRound() throws Exception {
        Thread waiter = Thread.currentThread();
        Thread later = new Thread(() -> {
            // the reply comes once the round is waiting for it, not after a guessed delay
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (waiter.getState() != Thread.State.TIMED_WAITING && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
            }
            replies.line("64 bytes from 10.77.0.11: icmp_seq=1 ttl=64 time=0.2 ms (DUP!)");
        });
        later.start();

        assertThat(replies.await(Duration.ofSeconds(30))).isTrue();
        later.join(Duration.ofSeconds(10).toMillis());
        assertThat(later.isAlive()).as("the replying thread ended").isFalse();
    }

    @Test
    void anOldReplyDoesNot() throws Exception {
        Duration window = Duration.ofMillis(20);
        replies.line("64 bytes from 10.77.0.11: icmp_seq=1 ttl=64 time=0.2 ms");
        // wait exactly until the reply is older than the window (it was stamped before line() returned)
        long stamped = System.nanoTime();
        while (System.nanoTime() - stamped <= window.toNanos()) {
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }

        assertThat(replies.await(window)).isFalse();
    }
}
