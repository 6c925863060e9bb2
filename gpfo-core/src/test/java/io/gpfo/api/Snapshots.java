package io.gpfo.api;

import io.gpfo.agent.Agent;
import io.gpfo.agent.PeerVipReading;
import io.gpfo.decision.Observation;
import io.gpfo.decision.Outcome;
import io.gpfo.node.Role;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.state.Journal;
import io.gpfo.state.Phase;
import io.gpfo.testing.TestCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Rounds as the agent on smdw (the standby node of TestCluster) publishes them. */
final class Snapshots {

    static final Instant AT = TestCluster.START;

    private Snapshots() {
    }

    static DatabaseStatus primary(int timeline, long lagBytes) {
        return new DatabaseStatus(false, 150018, OptionalInt.of(timeline),
                List.of(new DatabaseStatus.Sender("smdw", "streaming", "async", lagBytes)), Optional.empty());
    }

    static DatabaseStatus streamingStandby(int timeline) {
        return new DatabaseStatus(true, 150018, OptionalInt.of(timeline), List.of(),
                Optional.of(new DatabaseStatus.Receiver(Optional.of("0/3000000"), Optional.of("0/3000000"), OptionalLong.of(0),
                        Optional.of("streaming"), OptionalDouble.of(0.2))));
    }

    /** This host a streaming standby, the peer (mdw) its primary with the given lag. */
    static Agent.Snapshot standbyWatching(long lagBytes) {
        return snapshot(local(Role.STANDBY, streamingStandby(1)), Optional.of(primary(1, lagBytes)), true, false,
                journal(Phase.WATCHING).healthy(AT, OptionalLong.of(lagBytes)));
    }

    /** This host the promoted primary (timeline 2), holding the VIP, the old coordinator gone. */
    static Agent.Snapshot promotedPrimary() {
        return snapshot(local(Role.PRIMARY, new DatabaseStatus(false, 150018, OptionalInt.of(2), List.of(), Optional.empty())),
                Optional.empty(), false, true, journal(Phase.PROMOTED).withPromotion());
    }

    static Agent.Snapshot primaryServing(Optional<DatabaseStatus> peer) {
        return snapshot(local(Role.PRIMARY, primary(2, 0)), peer, true, true, journal(Phase.SERVING));
    }

    static Agent.Snapshot steppedDown() {
        return snapshot(local(Role.PRIMARY, primary(1, 0)), Optional.of(primary(2, 0)), true, false,
                journal(Phase.STEPPED_DOWN));
    }

    static Agent.Snapshot databaseDown() {
        return snapshot(new Observation.Local(Role.DOWN, Optional.empty(), "no postmaster"), Optional.of(primary(1, 0)), true,
                false, journal(Phase.DOWN));
    }

    static Observation.Local local(Role role, DatabaseStatus status) {
        return new Observation.Local(role, Optional.of(status), "");
    }

    static Journal journal(Phase phase) {
        return Journal.initial(AT).withPhase(phase, AT);
    }

    static Agent.Snapshot snapshot(Observation.Local local, Optional<DatabaseStatus> peer, boolean peerAnswers, boolean holdsVip,
            Journal journal) {
        Observation observation = new Observation(AT, local, new Observation.Peer(peer, List.of(
                new Observation.PathResult(Observation.HeartbeatPath.icmp("mdw"), peerAnswers),
                new Observation.PathResult(Observation.HeartbeatPath.tcp("mdw", 22), peerAnswers),
                new Observation.PathResult(Observation.HeartbeatPath.tcp("mdw", 5432), false))),
                Optional.empty(), Observation.VipView.of(holdsVip, Optional.of(false)), Observation.Maintenance.NONE);
        return new Agent.Snapshot(observation, journal, new Outcome(journal, List.of(), List.of(), "test round"),
                Duration.ofMillis(300), new PeerVipReading.Answered(false, AT));
    }
}
