package io.gpfo.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.decision.Observation;
import io.gpfo.node.Role;
import io.gpfo.ssh.SshFailure;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerVipReadingTest {

    private static final Instant EARLIER = Instant.parse("2026-11-30T12:00:00Z");
    private static final Instant NOW = EARLIER.plusSeconds(5);
    private static final SshFailure TIMED_OUT = SshFailure.noAnswer("connect to mdw timed out");

    private static Observation round(Observation.VipView vip) {
        return new Observation(NOW, new Observation.Local(Role.STANDBY, Optional.empty(), ""),
                new Observation.Peer(Optional.empty(), List.of()), Optional.empty(), vip, Observation.Maintenance.NONE);
    }

    @Test
    void aRoundThatAskedReplacesWhatWasKnown() {
        PeerVipReading before = new PeerVipReading.Answered(false, EARLIER);

        assertThat(before.after(round(Observation.VipView.of(false, Optional.of(true)))))
                .isEqualTo(new PeerVipReading.Answered(true, NOW));
        assertThat(before.after(round(new Observation.VipView(false, Optional.empty(), Optional.empty(), Optional.of(TIMED_OUT)))))
                .isEqualTo(new PeerVipReading.Unanswered(TIMED_OUT, NOW));
    }

    @Test
    void aRoundThatDidNotAskKeepsWhatWasKnown() {
        Observation notAsked = round(Observation.VipView.of(false, Optional.empty()));

        assertThat(new PeerVipReading.Answered(true, EARLIER).after(notAsked)).isEqualTo(new PeerVipReading.Answered(true, EARLIER));
        assertThat(PeerVipReading.NOT_ASKED.after(notAsked)).isEqualTo(PeerVipReading.NOT_ASKED);
    }
}
