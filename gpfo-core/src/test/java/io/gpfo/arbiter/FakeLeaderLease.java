package io.gpfo.arbiter;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** A leader key in memory for unit tests: a key and its lease, and a reach that a test can cut. */
public final class FakeLeaderLease implements LeaderLease {

    public Optional<Leader> key = Optional.empty();
    public Reach reach = Reach.ANSWERED;
    long ttlLeft = 5;
    public volatile int renewals;
    /** Runs in every read: a test moves its clock here to stand for a read that takes time. */
    public Runnable onRead = () -> {
    };
    private long nextLease = 100;

    @Override
    public Reading read(Duration deadline) {
        onRead.run();
        return reach == Reach.ANSWERED ? new Reading(reach, key, "") : Reading.failed(reach, "cut by the test");
    }

    @Override
    public Renewal renew(long leaseId, Duration deadline) {
        renewals++;
        if (reach != Reach.ANSWERED) {
            return new Renewal(reach, OptionalLong.empty(), "cut by the test");
        }
        boolean alive = key.map(leader -> leader.leaseId() == leaseId).orElse(false);
        return new Renewal(reach, alive ? OptionalLong.of(ttlLeft) : OptionalLong.empty(), alive ? "" : "expired");
    }

    @Override
    public Renewal timeToLive(long leaseId, Duration deadline) {
        boolean alive = reach == Reach.ANSWERED && key.map(leader -> leader.leaseId() == leaseId).orElse(false);
        return new Renewal(reach, alive ? OptionalLong.of(ttlLeft) : OptionalLong.empty(), alive ? "" : "expired");
    }

    @Override
    public Claim claim(String host, Duration ttl, Duration deadline) {
        if (reach != Reach.ANSWERED) {
            return Claim.failed(reach, "cut by the test");
        }
        if (key.isPresent()) {
            return new Claim(reach, false, key, OptionalLong.empty(), "held by " + key.get().host());
        }
        key = Optional.of(new Leader(host, nextLease++));
        return new Claim(reach, true, key, OptionalLong.of(ttl.toSeconds()), "");
    }

    @Override
    public void close() {
    }
}
