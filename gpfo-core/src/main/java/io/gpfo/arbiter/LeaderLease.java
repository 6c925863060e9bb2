package io.gpfo.arbiter;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The port to the arbiter's consensus store (etcd v3): the leader key, which names the coordinator
 * allowed to serve, under a lease its agent renews. Every call is bounded by the deadline it is given
 * (shorter than a round) and reports, never throws, what etcd said.
 */
public interface LeaderLease extends AutoCloseable {

    /** The leader key as a quorum of members knows it (a linearizable read). */
    Reading read(Duration deadline);

    /** Keeps a lease alive: the seconds it has left, or none when it has expired (its key is gone). */
    Renewal renew(long leaseId, Duration deadline);

    /** A lease's seconds left, without renewing it (for 'gpfo status'); none when it has expired. */
    Renewal timeToLive(long leaseId, Duration deadline);

    /** Creates the leader key naming {@code host} under a new lease of {@code ttl}, only if no key exists. */
    Claim claim(String host, Duration ttl, Duration deadline);

    @Override
    void close();

    /** How far a call got: a quorum answered; a member answered but the cluster has no quorum; no member answered. */
    enum Reach {
        ANSWERED, NO_QUORUM, UNREACHABLE;

        public String label() {
            return switch (this) {
                case ANSWERED -> "answered";
                case NO_QUORUM -> "no quorum";
                case UNREACHABLE -> "unreachable";
            };
        }
    }

    /** The host a leader key names, and the lease that keeps it. */
    record Leader(String host, long leaseId) {
    }

    /** The key (empty: absent, or not known when etcd did not answer), and why etcd did not answer. */
    record Reading(Reach reach, Optional<Leader> leader, String detail) {
        public static Reading failed(Reach reach, String detail) {
            return new Reading(reach, Optional.empty(), detail);
        }
    }

    /** A keep-alive's answer: the lease's seconds left; none when it expired or etcd did not answer. */
    record Renewal(Reach reach, OptionalLong ttlSeconds, String detail) {
        public boolean alive() {
            return reach == Reach.ANSWERED && ttlSeconds.isPresent() && ttlSeconds.getAsLong() > 0;
        }
    }

    /** A claim's answer: taken (the key now names us, under {@code leader}'s lease) or who holds it. */
    record Claim(Reach reach, boolean taken, Optional<Leader> leader, OptionalLong ttlSeconds, String detail) {
        public static Claim failed(Reach reach, String detail) {
            return new Claim(reach, false, Optional.empty(), OptionalLong.empty(), detail);
        }
    }
}
