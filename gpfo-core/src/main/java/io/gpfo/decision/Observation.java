package io.gpfo.decision;

import io.gpfo.arbiter.LeaderLease;
import io.gpfo.node.Inspection;
import io.gpfo.node.Role;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.SshFailure;
import io.gpfo.state.PauseFile;
import io.gpfo.vip.DuplicateProbe;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything one round of probes saw (docs/design.md §3): the facts the decision is a function of,
 * as records (never sentences to be parsed again). Cheap probes run every round; the deep ones
 * (SSH to the peer, gateway, witnesses, ARP) only while the peer is suspect
 * ({@link Decision#suspect}), and an observation carries them only when
 * {@link Decision#wantsDeepEvidence} says the round needs them.
 */
public record Observation(Instant at, Local local, Peer peer, Optional<Deep> deep, VipView vip, Maintenance maintenance,
        Optional<ArbiterView> arbiter) {

    /** A round without an arbiter configured: the decision is today's, from gpfo's own evidence. */
    public Observation(Instant at, Local local, Peer peer, Optional<Deep> deep, VipView vip, Maintenance maintenance) {
        this(at, local, peer, deep, vip, maintenance, Optional.empty());
    }

    /**
     * What the etcd arbiter said this round: whether a quorum answered, the leader key, until when
     * this host's own lease is known valid (renewed or claimed in this agent's life; measured from
     * before the call, so never later than etcd's own expiry), when etcd last answered this agent (its start before
     * the first answer: any lease this host held expires by then plus the ttl at the latest), since when it has
     * not (the start of the first ask that failed; empty while etcd answers), and the peer agent's last word on
     * how it reached etcd (asked only while this host does not reach it; empty: not known).
     */
    public record ArbiterView(LeaderLease.Reach reach, Optional<LeaderLease.Leader> leader, Optional<Instant> heldUntil,
            Instant lastAnswered, Optional<Instant> missedSince, Optional<PeerReach> peerReach, String detail) {
        public boolean answered() {
            return reach == LeaderLease.Reach.ANSWERED;
        }

        public boolean leaderIs(String host) {
            return leader.map(held -> held.host().equals(host)).orElse(false);
        }
    }

    /** The peer agent's reach of etcd in its last round, and when it wrote it (by the peer's clock). */
    public record PeerReach(LeaderLease.Reach reach, Instant written) {
    }

    /** This host's database and VIP as asked again after the round's actions; the rest as the round saw it. */
    public Observation withLocal(Local again, boolean vipHeldHere) {
        return new Observation(at, again, peer, deep, new VipView(vipHeldHere, vip.peerHolds(), vip.arp(), vip.peerUnasked()),
                maintenance, arbiter);
    }

    /** This host's database: its role, and what SQL said about it when it answered. */
    public record Local(Role role, Optional<DatabaseStatus> status, String detail) {
        public OptionalInt timeline() {
            return status.map(DatabaseStatus::timeline).orElse(OptionalInt.empty());
        }

        /** Seconds since the WAL receiver last heard from the primary, when it is streaming. */
        public OptionalDouble secondsSinceWal() {
            return status.flatMap(DatabaseStatus::receiver).filter(DatabaseStatus.Receiver::streaming)
                    .map(DatabaseStatus.Receiver::secondsSinceLastMessage).orElse(OptionalDouble.empty());
        }

        /** A standby that has received WAL: one that can be promoted without guessing. */
        public boolean promotableStandby() {
            return role == Role.STANDBY && status.flatMap(DatabaseStatus::receiver)
                    .flatMap(DatabaseStatus.Receiver::walHeld).isPresent();
        }
    }

    /** The cheap view of the peer: its SQL answer and each heartbeat path's. */
    public record Peer(Optional<DatabaseStatus> status, List<PathResult> paths) {
        public boolean sqlAnswers() {
            return status.isPresent();
        }

        public long pathsAnswered() {
            return paths.stream().filter(PathResult::answered).count();
        }

        public boolean anyPathAnswers() {
            return pathsAnswered() > 0;
        }

        public boolean primary() {
            return status.map(DatabaseStatus::primary).orElse(false);
        }

        public boolean standby() {
            return status.map(DatabaseStatus::inRecovery).orElse(false);
        }

        public OptionalInt timeline() {
            return status.map(DatabaseStatus::timeline).orElse(OptionalInt.empty());
        }
    }

    /** One heartbeat path to the peer: ICMP to an address, or TCP to a port on it. */
    public record HeartbeatPath(Protocol protocol, String address, int port) {
        public enum Protocol {
            ICMP, TCP
        }

        public static HeartbeatPath icmp(String address) {
            return new HeartbeatPath(Protocol.ICMP, address, 0);
        }

        public static HeartbeatPath tcp(String address, int port) {
            return new HeartbeatPath(Protocol.TCP, address, port);
        }

        @Override
        public String toString() {
            return switch (protocol) {
                case ICMP -> "icmp " + address;
                case TCP -> "tcp " + address + ":" + port;
            };
        }
    }

    /** Whether one heartbeat path answered this round. */
    public record PathResult(HeartbeatPath path, boolean answered) {
        @Override
        public String toString() {
            return path + ": " + (answered ? "ok" : "failed");
        }
    }

    /**
     * This host's VIP, the peer's as far as it was asked (empty: not asked this round, or it could
     * not be: then {@code peerUnasked} says why), and an ARP probe of the VIP taken when this host is
     * a primary without it.
     */
    public record VipView(boolean heldHere, Optional<Boolean> peerHolds, Optional<DuplicateProbe> arp,
            Optional<SshFailure> peerUnasked) {
        public VipView(boolean heldHere, Optional<Boolean> peerHolds, Optional<DuplicateProbe> arp) {
            this(heldHere, peerHolds, arp, Optional.empty());
        }

        public static VipView of(boolean heldHere, Optional<Boolean> peerHolds) {
            return new VipView(heldHere, peerHolds, Optional.empty());
        }
    }

    /**
     * The operator's say: a pause (until when, by what: 'gpfo pause', a rejoin, a switchover), and
     * whether 'gpfo resume' asked to clear a failed promotion.
     */
    public record Maintenance(Optional<PauseFile.Pause> pause, boolean resumeRequested) {
        public static final Maintenance NONE = new Maintenance(Optional.empty(), false);

        public boolean pausedAt(Instant now) {
            return pause.filter(paused -> paused.activeAt(now)).isPresent();
        }
    }

    /**
     * The expensive evidence: the peer's postmaster seen over SSH (empty: SSH failed, {@code sshFailure}
     * says why), whether the gateway answers this host, the witnesses' votes, an ARP probe of the VIP.
     */
    public record Deep(Optional<Inspection> inspection, Optional<SshFailure> sshFailure, boolean gatewayReachable,
            Witnesses witnesses, Optional<DuplicateProbe> vipProbe) {

        /** Why SSH could not look, for messages; empty when it did. */
        public String sshError() {
            return sshFailure.map(SshFailure::message).orElse("");
        }

        public Deep withSshFailure(SshFailure failure) {
            return new Deep(Optional.empty(), Optional.of(failure), gatewayReachable, witnesses, vipProbe);
        }
    }

    /** How the configured witnesses answered "can you reach the coordinator?". */
    public record Witnesses(int configured, List<WitnessVote> votes) {
        public static final Witnesses NONE = new Witnesses(0, List.of());

        public long answered() {
            return votes.stream().filter(WitnessVote::answered).count();
        }

        /** Witnesses that reach the coordinator neither by ICMP nor on its database port. */
        public long sayHostUnreachable() {
            return votes.stream().filter(vote -> vote.reach().map(reach -> !reach.database() && !reach.icmp()).orElse(false))
                    .count();
        }

        public List<String> detail() {
            return votes.stream().map(WitnessVote::toString).toList();
        }
    }

    /**
     * One witness's answer; empty reach when it did not answer (no vote). {@code unasked} says why SSH
     * could not ask it (a refused host key is alerted, never a silent abstention); empty when SSH ran.
     */
    public record WitnessVote(String witness, Optional<Reach> reach, Optional<SshFailure> unasked) {

        public WitnessVote(String witness, Optional<Reach> reach) {
            this(witness, reach, Optional.empty());
        }

        /** What a witness reached: the database port, and the host by ICMP. */
        public record Reach(boolean database, boolean icmp) {
        }

        private static final Pattern ANSWER = Pattern.compile("db=(yes|no) icmp=(yes|no)");

        public static WitnessVote silent(String witness) {
            return new WitnessVote(witness, Optional.empty());
        }

        /** SSH could not ask the witness: no vote, whatever the cause. */
        public static WitnessVote unasked(String witness, SshFailure failure) {
            return new WitnessVote(witness, Optional.empty(), Optional.of(failure));
        }

        /** The witness's host key is unknown or changed: its answer cannot be trusted, so it was not asked. */
        public boolean hostKeyRefused() {
            return unasked.filter(SshFailure::hostKey).isPresent();
        }

        /** The witness script's one line ({@code db=yes|no icmp=yes|no}); anything else is no answer. */
        public static WitnessVote parse(String witness, String output) {
            Matcher matcher = ANSWER.matcher(output.strip());
            return matcher.matches() ? new WitnessVote(witness, Optional.of(new Reach(matcher.group(1).equals("yes"),
                    matcher.group(2).equals("yes")))) : silent(witness);
        }

        public boolean answered() {
            return reach.isPresent();
        }

        @Override
        public String toString() {
            return witness + ": " + reach.map(r -> "db=" + (r.database() ? "yes" : "no") + " icmp=" + (r.icmp() ? "yes" : "no"))
                    .orElse(hostKeyRefused() ? "no vote, host key not verified" : "no answer");
        }
    }
}
