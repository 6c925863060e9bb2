package io.gpfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.agent.Agent;
import io.gpfo.agent.PeerVipReading;
import io.gpfo.decision.Observation;
import io.gpfo.decision.Outcome;
import io.gpfo.node.Role;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.state.Journal;
import io.gpfo.state.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AgentViewTest {

    @Test
    void showsHostsProbesCountersVipLagPhaseAndEvents() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        DatabaseStatus standby = new DatabaseStatus(true, 150018, OptionalInt.of(1), List.of(), Optional.of(
                new DatabaseStatus.Receiver(Optional.of("0/3000000"), Optional.of("0/3000000"), OptionalLong.of(0),
                        Optional.of("streaming"), OptionalDouble.of(4.2))));
        Observation observation = new Observation(now, new Observation.Local(Role.STANDBY, Optional.of(standby), ""),
                new Observation.Peer(Optional.empty(), List.of(new Observation.PathResult(Observation.HeartbeatPath.icmp("mdw"),
                        false), new Observation.PathResult(Observation.HeartbeatPath.tcp("mdw", 22), false))),
                Optional.of(new Observation.Deep(Optional.empty(), Optional.of(io.gpfo.ssh.SshFailure.noAnswer("timed out")), true, new Observation.Witnesses(2,
                        List.of(Observation.WitnessVote.parse("sdw1", "db=no icmp=no\n"),
                                Observation.WitnessVote.parse("sdw2", "db=no icmp=no"))), Optional.empty())),
                Observation.VipView.of(false, Optional.empty()), Observation.Maintenance.NONE);
        Journal journal = Journal.initial(now).withPhase(Phase.SUSPECT, now).withFailures(2).healthy(now, OptionalLong.of(128)).withFailures(2);
        Outcome outcome = new Outcome(journal, List.of(), List.of(), "the coordinator mdw does not answer SQL (round 2 of 3)");

        List<String> lines = AgentView.render("smdw", "mdw", new Agent.Snapshot(observation, journal, outcome, Duration.ofMillis(40),
                PeerVipReading.NOT_ASKED),
                List.of("12:00:00 WARNING coordinator-suspect: mdw silent"), 200);

        assertThat(lines.get(0)).isEqualTo("gpfo watch on smdw — phase suspect since 2026-11-25T12:00:00Z   failed rounds: 2");
        assertThat(lines).contains(
                "smdw     standby  no   ",
                "mdw      ?        ?    SQL does not answer",
                "probes   icmp mdw: failed, tcp mdw:22: failed",
                "wal      last message from the coordinator 4.2 s ago",
                "lag      128 bytes at the last healthy round",
                "ssh      failed: timed out",
                "gateway  reachable",
                "witness  sdw1: db=no icmp=no; sdw2: db=no icmp=no",
                "decision the coordinator mdw does not answer SQL (round 2 of 3)",
                "  12:00:00 WARNING coordinator-suspect: mdw silent");
        assertThat(AgentView.render("smdw", "mdw", new Agent.Snapshot(observation, journal, outcome, Duration.ofMillis(40),
                PeerVipReading.NOT_ASKED), List.of(), 20))
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(20));
    }
}
