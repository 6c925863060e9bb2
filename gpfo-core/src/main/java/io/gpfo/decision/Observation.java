package io.gpfo.decision;

import io.gpfo.node.Inspection;
import io.gpfo.node.Role;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.vip.DuplicateProbe;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Everything one round of probes saw (design.md §3): the facts the decision is a function of.
 * Cheap probes run every round; the deep ones (SSH to the peer, gateway, witnesses, ARP) only
 * while the peer looks dead ({@link Decision#wantsDeepEvidence}).
 *
 * @param peerHoldsVip  empty when the peer was not asked this round or could not be asked
 * @param pausedUntil   end of the maintenance pause, {@link Instant#MAX} for indefinitely
 */
public record Observation(
        Instant at,
        Local local,
        Peer peer,
        Optional<Deep> deep,
        boolean localHoldsVip,
        Optional<Boolean> peerHoldsVip,
        Optional<Instant> pausedUntil) {

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
                    .flatMap(DatabaseStatus.Receiver::received).isPresent();
        }
    }

    /**
     * The cheap view of the peer: its SQL answer, and each heartbeat path (ICMP, TCP to the SSH
     * and database ports on every address) as "what: ok|failed".
     */
    public record Peer(Optional<DatabaseStatus> status, List<String> paths, int pathsAnswered) {
        public boolean sqlAnswers() {
            return status.isPresent();
        }

        public boolean anyPathAnswers() {
            return pathsAnswered > 0;
        }

        public boolean primary() {
            return status.map(DatabaseStatus::primary).orElse(false);
        }

        public OptionalInt timeline() {
            return status.map(DatabaseStatus::timeline).orElse(OptionalInt.empty());
        }
    }

    /**
     * The expensive evidence: the peer's postmaster seen over SSH (empty: SSH failed), whether the
     * gateway answers this host, the witnesses' votes, and an ARP probe of the VIP.
     */
    public record Deep(Optional<Inspection> inspection, String sshError, boolean gatewayReachable, Witnesses witnesses,
            Optional<DuplicateProbe> vipProbe) {
    }

    /** How the witnesses answered "can you reach the coordinator?"; one that did not answer is no vote. */
    public record Witnesses(int configured, int answered, int sayHostUnreachable, int sayDatabaseUnreachable, List<String> detail) {
        public static final Witnesses NONE = new Witnesses(0, 0, 0, 0, List.of());
    }
}
