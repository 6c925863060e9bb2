package io.gpfo.arbiter;

import io.gpfo.config.GpfoConfig;
import io.gpfo.status.ClusterStatus;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The arbiter as 'gpfo status' shows it: its members, whether a quorum answered, the leader key, the
 * host it names and its lease's seconds left.
 */
public record ArbiterStatus(List<URI> endpoints, String key, LeaderLease.Reach reach, Optional<LeaderLease.Leader> leader,
        OptionalLong ttlLeft, String detail) {

    /** One linearizable read of the key and its lease's time to live, each bounded by {@code timeout}. */
    public static ArbiterStatus ask(GpfoConfig.Arbiter arbiter, LeaderLease lease, Duration timeout) {
        LeaderLease.Reading reading = lease.read(timeout);
        OptionalLong ttl = reading.leader().map(leader -> lease.timeToLive(leader.leaseId(), timeout).ttlSeconds())
                .orElse(OptionalLong.empty());
        return new ArbiterStatus(arbiter.endpoints(), arbiter.leaderKey(), reading.reach(), reading.leader(), ttl,
                reading.detail());
    }

    /**
     * The pair's health with the arbiter: not ok while etcd gives no answer or the key does not name the
     * acting primary (then the standby could not promote, or the primary may stop serving).
     */
    public ClusterStatus.Health judge(ClusterStatus status) {
        boolean keyOnPrimary = status.actingPrimary() != null && leader.map(held -> held.host().equals(status.actingPrimary()))
                .orElse(false);
        return status.health() == ClusterStatus.Health.OK && !(reach == LeaderLease.Reach.ANSWERED && keyOnPrimary)
                ? ClusterStatus.Health.DEGRADED : status.health();
    }

    /** One line for people: who the key names, for how long, or why it is not known. */
    public String describe() {
        if (reach != LeaderLease.Reach.ANSWERED) {
            return "etcd " + reach.label() + " (" + detail + ")";
        }
        return leader.map(held -> key + " = " + held.host() + ", lease " + Long.toHexString(held.leaseId())
                + ttlLeft.stream().mapToObj(seconds -> ", " + seconds + " s left").findFirst().orElse(""))
                .orElse(key + " is free: no coordinator holds the lease");
    }
}
