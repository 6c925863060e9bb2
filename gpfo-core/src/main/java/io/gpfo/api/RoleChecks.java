package io.gpfo.api;

import io.gpfo.agent.Agent;
import io.gpfo.decision.Observation;
import io.gpfo.node.Role;
import io.gpfo.sql.DatabaseStatus;
import java.util.OptionalInt;

/**
 * What {@code /primary}, {@code /standby} and {@code /health} answer, judged from one round's
 * snapshot. HAProxy sends clients to whichever host answers {@code /primary}, so it says yes only
 * where this host may take writes: a running primary, not stepped down, and no peer that is also
 * a primary on the same or a newer timeline (two yeses would be a split brain by the router).
 */
final class RoleChecks {

    /** The answer and a sentence for the response body (people reading it with curl). */
    record Answer(boolean ok, String reason) {
    }

    private RoleChecks() {
    }

    static Answer primary(Agent.Snapshot snapshot) {
        Observation.Local local = snapshot.observation().local();
        if (local.role() != Role.PRIMARY) {
            return new Answer(false, "not primary: the local database is " + local.role().label());
        }
        String phase = snapshot.journal().phase().label();
        boolean phaseServes = switch (snapshot.journal().phase()) {
            case SERVING, PROMOTED, FENCE_PENDING, PAUSED -> true;
            // a failed promotion may have left a half-activated database: never route to it
            case WATCHING, SUSPECT, PROMOTING, FAILED, STEPPED_DOWN, DOWN -> false;
        };
        if (!phaseServes) {
            return new Answer(false, "not serving: the agent's phase is " + phase);
        }
        Observation.Peer peer = snapshot.observation().peer();
        OptionalInt mine = local.timeline();
        OptionalInt theirs = peer.timeline();
        if (peer.primary() && !(mine.isPresent() && theirs.isPresent() && mine.getAsInt() > theirs.getAsInt())) {
            return new Answer(false, "not serving: the peer is also a primary (timeline " + text(theirs) + ", here "
                    + text(mine) + ")");
        }
        return new Answer(true, "primary, phase " + phase + ", timeline " + text(mine));
    }

    static Answer standby(Agent.Snapshot snapshot) {
        Observation.Local local = snapshot.observation().local();
        if (local.role() != Role.STANDBY) {
            return new Answer(false, "not a standby: the local database is " + local.role().label());
        }
        boolean streaming = local.status().flatMap(DatabaseStatus::receiver).map(DatabaseStatus.Receiver::streaming)
                .orElse(false);
        return streaming ? new Answer(true, "streaming standby, phase " + snapshot.journal().phase().label())
                : new Answer(false, "a standby, but its WAL receiver is not streaming");
    }

    static Answer health(Agent.Snapshot snapshot) {
        Observation.Local local = snapshot.observation().local();
        return local.status().isPresent() ? new Answer(true, "the local database answers as " + local.role().label())
                : new Answer(false, "the local database does not answer: " + local.detail());
    }

    private static String text(OptionalInt timeline) {
        return timeline.isPresent() ? Integer.toString(timeline.getAsInt()) : "unknown";
    }
}
