package io.gpfo.arbiter;

import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Observation;
import io.gpfo.port.Clock;
import io.gpfo.state.Phase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One agent's side of the arbiter: each round it reads the leader key and, when the key names this
 * host and this host serves as primary ({@link #servesAsPrimary}), renews its lease (renewing changes
 * nothing about who leads; it is the heartbeat the lease asks for); a claim is the decision's to make
 * ({@link #claim}). It remembers until when its own
 * lease is known valid, and writes how it reaches etcd to {@code <state.directory>/arbiter-reach},
 * which the peer's agent reads over SSH for the failsafe (both hosts cut from etcd).
 */
public final class ArbiterSession implements AutoCloseable {

    /**
     * The file the peer's agent reads: the {@link LeaderLease.Reach} of this agent's last round and when
     * it was written (epoch seconds, to the millisecond), rewritten every round, so a stopped agent's last
     * word goes stale.
     */
    public static final String REACH_FILE = "arbiter-reach";

    /** How the peer's agent reached etcd, as its file says; empty when it could not be read. */
    public interface PeerReachFile {
        Optional<Observation.PeerReach> ask(Duration timeout);
    }

    private final LeaderLease lease;
    private final String localHost;
    private final Duration ttl;
    private final Duration timeout;
    private final Path stateDirectory;
    private final PeerReachFile peer;
    private final Clock clock;
    /** When etcd last answered this agent; its start until the first answer. */
    private volatile Instant lastAnswered;
    /** The start of the first ask that failed since etcd last answered; empty while it answers. */
    private volatile Optional<Instant> missedSince = Optional.empty();
    /** The lease of the key naming this host, while this agent holds it: claimed, or renewed in its last round. */
    private volatile Optional<Held> held = Optional.empty();

    /** A lease this agent holds, and until when it is known valid (from before the call that granted or renewed it). */
    private record Held(long leaseId, Instant until) {
    }

    public ArbiterSession(LeaderLease lease, String localHost, Duration ttl, Duration timeout, Path stateDirectory,
            PeerReachFile peer, Clock clock) {
        this.lease = lease;
        this.localHost = localHost;
        this.ttl = ttl;
        this.timeout = timeout;
        this.stateDirectory = stateDirectory;
        this.peer = peer;
        this.clock = clock;
        this.lastAnswered = clock.now();
    }

    /**
     * Whether this host may hold the leader key this round (renew it, or take a free one as primary): its
     * postmaster answered SQL this round as a primary, and the agent has not stepped down or fenced itself.
     * A crashed or hung postmaster (no answer, or none in time) thus lets the lease lapse, so the standby
     * can take the key, as Patroni renews only while its postgres runs as primary.
     */
    public static boolean servesAsPrimary(Observation.Local local, Phase phase) {
        return local.status().map(status -> !status.inRecovery()).orElse(false) && phase != Phase.STEPPED_DOWN;
    }

    /** Whether this agent holds the leader key's lease (claimed, or renewed at its last round): it then renews it every round. */
    public boolean holdsLease() {
        return held.isPresent();
    }

    /**
     * This round's view: the key read, and this host's lease renewed when the key names it and
     * {@code servesAsPrimary} (asked after the read, so the key is read while the local database answers).
     * When etcd did not answer, the peer's reach file is read right after, in the same round: the failsafe
     * has only a few rounds between this host's last renewal and its fence margin, and needs that word in them.
     * All of it within {@code budget}: the read gets at most a timeout, the renewal or the peer's file the rest,
     * so a round without etcd lasts no longer than one with it (the fence margin counts on that).
     */
    public synchronized Observation.ArbiterView observe(BooleanSupplier servesAsPrimary, Duration budget) {
        Instant asked = clock.now();
        Instant deadline = asked.plus(budget);
        LeaderLease.Reading reading = lease.read(timeout.compareTo(budget) < 0 ? timeout : budget);
        Optional<LeaderLease.Leader> leader = reading.leader();
        String detail = reading.detail();
        LeaderLease.Reach reach = reading.reach();
        Optional<Held> heldAtLastRound = held;
        boolean mine = leader.map(named -> named.host().equals(localHost)).orElse(false);
        if (reach == LeaderLease.Reach.ANSWERED && !mine) {
            held = Optional.empty(); // the key is gone or names the other host: no lease of this host's lives on
        } else if (mine && !servesAsPrimary.getAsBoolean()) {
            detail = "not renewed: " + localHost + " does not serve as primary";
            held = Optional.empty(); // given up: it lapses within the ttl
        } else if (mine) {
            LeaderLease.Renewal renewal = lease.renew(leader.get().leaseId(), left(deadline));
            if (renewal.alive()) {
                held = Optional.of(new Held(leader.get().leaseId(), asked.plus(Duration.ofSeconds(
                        renewal.ttlSeconds().getAsLong()))));
            } else if (renewal.reach() == LeaderLease.Reach.ANSWERED) {
                leader = Optional.empty(); // expired between the read and the renewal: the key is gone
                held = Optional.empty();
                detail = renewal.detail();
            } else {
                reach = renewal.reach();
                detail = "renewal: " + renewal.detail();
            }
        }
        Optional<Observation.PeerReach> peerReach = Optional.empty();
        if (reach == LeaderLease.Reach.ANSWERED) {
            lastAnswered = asked;
            missedSince = Optional.empty();
        } else {
            missedSince = Optional.of(missedSince.orElse(asked));
        }
        writeReach(reach);
        if (reach != LeaderLease.Reach.ANSWERED && !left(deadline).isZero()) {
            peerReach = peer.ask(left(deadline)); // after writing this host's own word, which the peer may be reading
        }
        // a key naming the other host while this host held its lease at its last round: that lease was lost (the decision fences)
        Optional<Held> shown = reach == LeaderLease.Reach.ANSWERED && leader.isPresent() && !mine ? heldAtLastRound : held;
        return new Observation.ArbiterView(reach, leader, shown.map(Held::until), lastAnswered, missedSince, peerReach, detail);
    }

    private Duration left(Instant deadline) {
        Duration left = Duration.between(clock.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The view of a round in which etcd's answer did not come in time: nothing new is known. */
    public Observation.ArbiterView unanswered(String detail) {
        return new Observation.ArbiterView(LeaderLease.Reach.UNREACHABLE, Optional.empty(), held.map(Held::until), lastAnswered,
                Optional.of(missedSince.orElse(clock.now())), Optional.empty(), detail);
    }

    /** Takes the leader key for this host if it is free; the lease then counts from before the call. */
    public synchronized LeaderLease.Claim claim() {
        Instant asked = clock.now();
        LeaderLease.Claim claim = lease.claim(localHost, ttl, timeout);
        if (claim.taken()) {
            Instant until = asked.plus(Duration.ofSeconds(claim.ttlSeconds().orElse(ttl.toSeconds())));
            held = claim.leader().map(leader -> new Held(leader.leaseId(), until));
        }
        return claim;
    }

    /**
     * Runs {@code work} (an action) while renewing this host's lease every {@code every}, when it holds one:
     * rounds, which renew it otherwise, wait for the action, and a promotion may take longer than the ttl.
     * A renewal that finds the lease expired stops there; the next round sees whose the key is.
     */
    public <T> T renewingDuring(Supplier<T> work, Duration every) {
        Optional<Held> holding = held;
        if (holding.isEmpty()) {
            return work.get();
        }
        Thread keeper = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(every.toMillis());
                    if (!renewHeld(holding.get().leaseId())) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the action is over
            }
        }, "gpfo-lease-keeper");
        keeper.setDaemon(true);
        keeper.start();
        try {
            return work.get();
        } finally {
            keeper.interrupt();
        }
    }

    /**
     * A last renewal as the agent stops, when its last round renewed the lease (it served): a restart (an
     * upgrade, {@code systemctl restart}) then has a whole ttl to renew it again, and keeps the key.
     */
    public void renewAsTheAgentStops() {
        held.ifPresent(holding -> renewHeld(holding.leaseId()));
    }

    /** One renewal outside a round; false once the lease is known gone. */
    private synchronized boolean renewHeld(long leaseId) {
        if (held.map(holding -> holding.leaseId() != leaseId).orElse(true)) {
            return false;
        }
        Instant asked = clock.now();
        LeaderLease.Renewal renewal = lease.renew(leaseId, timeout);
        if (renewal.alive()) {
            held = Optional.of(new Held(leaseId, asked.plus(Duration.ofSeconds(renewal.ttlSeconds().getAsLong()))));
            return true;
        }
        if (renewal.reach() == LeaderLease.Reach.ANSWERED) {
            held = Optional.empty();
            return false;
        }
        return true; // etcd did not answer this time: try again
    }

    /**
     * The peer's reach file is stale when older than three rounds at their slowest (interval + timeout
     * each): its agent has stopped writing, and its last word says nothing about etcd now.
     */
    public static Duration reachFileStaleAfter(GpfoConfig.Heartbeat heartbeat) {
        return heartbeat.interval().plus(heartbeat.timeout()).multipliedBy(3);
    }

    /**
     * The peer's reach file ("{@code <WORD> <epoch seconds>[.<milliseconds>]}"), read strictly: a stale file,
     * an unknown word or anything else is not known. Written as far ahead as {@code staleAfter} still counts
     * (the two hosts' clocks differ a little; NTP keeps it far below the few seconds this allows).
     */
    public static Optional<Observation.PeerReach> parsePeerReach(String text, Instant now, Duration staleAfter) {
        String[] wordAndTime = text.strip().split(" ", 2);
        if (wordAndTime.length != 2 || !wordAndTime[1].matches("[0-9]{1,12}(\\.[0-9]{3})?")) {
            return Optional.empty();
        }
        String[] secondsAndMillis = wordAndTime[1].split("\\.");
        Instant written = Instant.ofEpochSecond(Long.parseLong(secondsAndMillis[0]))
                .plusMillis(secondsAndMillis.length == 2 ? Long.parseLong(secondsAndMillis[1]) : 0);
        Duration age = Duration.between(written, now);
        if (age.compareTo(staleAfter) > 0 || age.negated().compareTo(staleAfter) > 0) {
            return Optional.empty();
        }
        return Arrays.stream(LeaderLease.Reach.values()).filter(reach -> reach.name().equals(wordAndTime[0])).findFirst()
                .map(reach -> new Observation.PeerReach(reach, written));
    }

    private void writeReach(LeaderLease.Reach reach) {
        Path file = stateDirectory.resolve(REACH_FILE);
        Path temporary = stateDirectory.resolve(REACH_FILE + ".tmp");
        try {
            Instant written = clock.now();
            Files.writeString(temporary, String.format(java.util.Locale.ROOT, "%s %d.%03d\n", reach.name(), written.getEpochSecond(),
                    written.getNano() / 1_000_000), StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // the peer then reads an older line, stale within a few rounds: the failsafe only holds with a fresh one
        }
    }

    @Override
    public void close() {
        lease.close();
    }
}
