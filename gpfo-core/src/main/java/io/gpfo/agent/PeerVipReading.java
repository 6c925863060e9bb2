package io.gpfo.agent;

import io.gpfo.decision.Observation;
import io.gpfo.ssh.SshFailure;
import java.time.Instant;

/**
 * The peer's VIP as this agent last learned it, kept across rounds: while all is well the agent asks
 * the peer over SSH only every few rounds, and a round that did not ask knows nothing new, least of
 * all that the peer holds nothing.
 */
public sealed interface PeerVipReading {

    <R> R accept(Visitor<R> visitor);

    /** One method per kind of reading (Java 17: no pattern-matching switch over a sealed type). */
    interface Visitor<R> {
        R notAsked(NotAsked reading);

        R answered(Answered reading);

        R unanswered(Unanswered reading);
    }

    /** Not asked since the agent started (it asks in its first calm round). */
    record NotAsked() implements PeerVipReading {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.notAsked(this);
        }
    }

    /** Asked at {@code at}, and the peer answered. */
    record Answered(boolean holds, Instant at) implements PeerVipReading {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.answered(this);
        }
    }

    /** Asked at {@code at}, without an answer: SSH failed, {@code failure} says how. */
    record Unanswered(SshFailure failure, Instant at) implements PeerVipReading {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.unanswered(this);
        }
    }

    PeerVipReading NOT_ASKED = new NotAsked();

    /** What is known after {@code round}: its own asking when it asked, else what was known before it. */
    default PeerVipReading after(Observation round) {
        Observation.VipView vip = round.vip();
        if (vip.peerHolds().isPresent()) {
            return new Answered(vip.peerHolds().get(), round.at());
        }
        if (vip.peerUnasked().isPresent()) {
            return new Unanswered(vip.peerUnasked().get(), round.at());
        }
        return this;
    }
}
