package io.gpfo.state;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What the agent remembers between rounds and across restarts (docs/design.md §8), in groups so
 * that a new fact touches one group: its phase and since when; the coordinator's health as last
 * seen; its promotions and the fence still owed; what it last decided and did; and when each
 * persisting alert was last sent. Immutable; every change makes a new journal.
 */
public record Journal(Phase phase, Instant since, Health health, Promotions promotions, Activity activity,
        Map<String, Instant> alertsSent) {

    public Journal {
        alertsSent = Map.copyOf(alertsSent);
    }

    /**
     * The watched coordinator's health: failed rounds in a row, and the last healthy round with
     * the standby's lag then (what a promotion would lose).
     */
    public record Health(int consecutiveFailures, Optional<Instant> lastHealthyAt, OptionalLong lastLagBytes) {
        static final Health NONE = new Health(0, Optional.empty(), OptionalLong.empty());
    }

    /** How often this host promoted, and the old coordinator it still has to fence, if any. */
    public record Promotions(int count, Optional<String> fencePendingHost) {
        static final Promotions NONE = new Promotions(0, Optional.empty());
    }

    /** The last decision's sentence, and the last event with its time. */
    public record Activity(String lastDecision, Optional<String> lastEvent, Optional<Instant> lastEventAt) {
    }

    public static Journal initial(Instant now) {
        return new Journal(Phase.WATCHING, now, Health.NONE, Promotions.NONE,
                new Activity("started", Optional.empty(), Optional.empty()), Map.of());
    }

    public Journal withPhase(Phase next, Instant now) {
        return next == phase ? this : new Journal(next, now, health, promotions, activity, alertsSent);
    }

    private Journal with(Health next) {
        return new Journal(phase, since, next, promotions, activity, alertsSent);
    }

    private Journal with(Promotions next) {
        return new Journal(phase, since, health, next, activity, alertsSent);
    }

    private Journal with(Activity next) {
        return new Journal(phase, since, health, promotions, next, alertsSent);
    }

    public Journal withFailures(int failures) {
        return with(new Health(failures, health.lastHealthyAt(), health.lastLagBytes()));
    }

    /** A healthy round: the failure count starts over; the lag is kept when this round had none. */
    public Journal healthy(Instant now, OptionalLong lagBytes) {
        return with(new Health(0, Optional.of(now), lagBytes.isPresent() ? lagBytes : health.lastLagBytes()));
    }

    /** Whether the two differ at most in what every healthy round refreshes (its time and lag). */
    public boolean differsOnlyInHealthyRound(Journal other) {
        return other != null && other.health.consecutiveFailures() == health.consecutiveFailures()
                && with(other.health).equals(other);
    }

    public Journal withFencePending(Optional<String> host) {
        return with(new Promotions(promotions.count(), host));
    }

    public Journal withPromotion() {
        return with(new Promotions(promotions.count() + 1, promotions.fencePendingHost()));
    }

    public Journal withDecision(String decision) {
        return decision.equals(activity.lastDecision()) ? this
                : with(new Activity(decision, activity.lastEvent(), activity.lastEventAt()));
    }

    public Journal withEvent(String event, Instant now) {
        return with(new Activity(activity.lastDecision(), Optional.of(event), Optional.of(now)));
    }

    public Journal withAlertSent(String key, Instant now) {
        Map<String, Instant> sent = new TreeMap<>(alertsSent);
        sent.put(key, now);
        return new Journal(phase, since, health, promotions, activity, sent);
    }

    public Journal withAlertCleared(String key) {
        if (!alertsSent.containsKey(key)) {
            return this;
        }
        Map<String, Instant> sent = new TreeMap<>(alertsSent);
        sent.remove(key);
        return new Journal(phase, since, health, promotions, activity, sent);
    }
}
