package io.gpfo.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
        Thread later = new Thread(() -> {
            sleep(100);
            replies.line("64 bytes from 10.77.0.11: icmp_seq=1 ttl=64 time=0.2 ms (DUP!)");
        });
        later.start();

        assertThat(replies.await(Duration.ofSeconds(30))).isTrue();
        later.join();
    }

    @Test
    void anOldReplyDoesNot() throws Exception {
        replies.line("64 bytes from 10.77.0.11: icmp_seq=1 ttl=64 time=0.2 ms");
        sleep(120);

        assertThat(replies.await(Duration.ofMillis(20))).isFalse();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
