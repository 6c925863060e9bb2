package io.gpfo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpfo.agent.Agent;
import io.gpfo.agent.PeerVipReading;
import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Observation;
import io.gpfo.node.NodeName;
import io.gpfo.ssh.SshFailure;
import io.gpfo.testing.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /status as the standby's agent (smdw) shows it: the peer's VIP is what the peer last said, with when,
 * never a "not held" from a round that did not ask it (the agent asks every tenth round while all is well).
 */
class HostStatusTest {

    @TempDir
    Path state;

    private GpfoConfig config;

    @BeforeEach
    void setUp() {
        config = TestCluster.onStandbyHost(state).config; // heartbeat every 1 s
    }

    /** A calm round on smdw that did not ask mdw about the VIP, after {@code reading}. */
    private static Agent.Snapshot roundThatDidNotAsk(PeerVipReading reading) {
        Agent.Snapshot watching = Snapshots.standbyWatching(0);
        Observation asked = watching.observation();
        Observation notAsked = new Observation(asked.at(), asked.local(), asked.peer(), asked.deep(),
                Observation.VipView.of(false, Optional.empty()), asked.maintenance());
        return new Agent.Snapshot(notAsked, watching.journal(), watching.outcome(), watching.duration(), reading);
    }

    private JsonNode mdw(Agent.Snapshot snapshot) {
        JsonNode json = HostStatus.json(config, NodeName.STANDBY, snapshot);
        for (JsonNode node : json.path("nodes")) {
            if (node.path("host").asText().equals("mdw")) {
                return node;
            }
        }
        throw new AssertionError("no mdw in " + json);
    }

    @Test
    void aRoundThatDidNotAskShowsThePeersLastAnswerAndWhenItWasGiven() {
        Agent.Snapshot snapshot = roundThatDidNotAsk(new PeerVipReading.Answered(true, Snapshots.AT.minusSeconds(4)));

        JsonNode mdw = mdw(snapshot);

        assertThat(mdw.path("vip").asBoolean()).isTrue();
        assertThat(mdw.has("vip_known")).isFalse();
        assertThat(mdw.path("vip_observed_at").asText()).isEqualTo(Snapshots.AT.minusSeconds(4).toString());
        JsonNode json = HostStatus.json(config, NodeName.STANDBY, snapshot);
        assertThat(json.path("vip").path("holders").toString()).isEqualTo("[\"mdw\"]");
        assertThat(json.path("vip").path("state").asText()).isNotEqualTo("none");
    }

    @Test
    void beforeThePeerWasEverAskedItsVipIsUnknownNotNotHeld() {
        JsonNode mdw = mdw(roundThatDidNotAsk(PeerVipReading.NOT_ASKED));

        assertThat(mdw.path("vip_known").asBoolean(true)).isFalse();
        assertThat(mdw.has("vip_observed_at")).isFalse();
        assertThat(mdw.path("detail").asText()).contains("VIP not asked yet");
    }

    @Test
    void anAnswerOlderThanOneAskingCycleIsUnknownWithItsAge() {
        assertThat(HostStatus.shelfLife(config)).isEqualTo(Duration.ofSeconds(11));
        JsonNode fresh = mdw(roundThatDidNotAsk(new PeerVipReading.Answered(false, Snapshots.AT.minusSeconds(11))));
        JsonNode stale = mdw(roundThatDidNotAsk(new PeerVipReading.Answered(false, Snapshots.AT.minusSeconds(12))));

        assertThat(fresh.has("vip_known")).isFalse();
        assertThat(fresh.path("vip").asBoolean(true)).isFalse();
        assertThat(stale.path("vip_known").asBoolean(true)).isFalse();
        assertThat(stale.path("vip_observed_at").asText()).isEqualTo(Snapshots.AT.minusSeconds(12).toString());
        assertThat(stale.path("detail").asText()).contains("VIP last asked 12 s ago (not held)");
    }

    @Test
    void aFailedAskIsUnknownWithWhy() {
        JsonNode mdw = mdw(roundThatDidNotAsk(new PeerVipReading.Unanswered(SshFailure.noAnswer("connect to mdw timed out"),
                Snapshots.AT.minusSeconds(1))));

        assertThat(mdw.path("vip_known").asBoolean(true)).isFalse();
        assertThat(mdw.path("detail").asText()).contains("VIP unknown: connect to mdw timed out");
        assertThat(mdw.has("vip_observed_at")).isFalse();
    }
}
