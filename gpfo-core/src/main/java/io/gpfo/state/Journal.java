package io.gpfo.state;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the agent remembers between rounds and across restarts (design.md §8): its phase and
 * since when, the failure counter, the last healthy round and its lag, whether the old
 * coordinator still has to be fenced, and when each persisting alert was last sent.
 * Immutable; every change makes a new journal.
 *
 * @param fencePendingHost the old coordinator that could not be fenced yet, or null
 * @param alertsSent       alert key → when it was last sent, for {@code alerts.repeat}
 */
public record Journal(
        Phase phase,
        Instant since,
        int consecutiveFailures,
        Instant lastHealthyAt,
        Long lastLagBytes,
        String fencePendingHost,
        int promotions,
        String lastDecision,
        String lastEvent,
        Instant lastEventAt,
        Map<String, Instant> alertsSent) {

    public Journal {
        alertsSent = Map.copyOf(alertsSent);
    }

    public static Journal initial(Instant now) {
        return new Journal(Phase.WATCHING, now, 0, null, null, null, 0, "started", null, null, Map.of());
    }

    public Journal withPhase(Phase next, Instant now) {
        return next == phase ? this : new Journal(next, now, consecutiveFailures, lastHealthyAt, lastLagBytes, fencePendingHost,
                promotions, lastDecision, lastEvent, lastEventAt, alertsSent);
    }

    public Journal withFailures(int failures) {
        return new Journal(phase, since, failures, lastHealthyAt, lastLagBytes, fencePendingHost, promotions, lastDecision,
                lastEvent, lastEventAt, alertsSent);
    }

    public Journal healthy(Instant now, Long lagBytes) {
        return new Journal(phase, since, 0, now, lagBytes == null ? lastLagBytes : lagBytes, fencePendingHost, promotions,
                lastDecision, lastEvent, lastEventAt, alertsSent);
    }

    /** Whether the two differ at most in what every healthy round refreshes (its time and lag). */
    public boolean differsOnlyInHealthyRound(Journal other) {
        return other != null && new Journal(phase, since, consecutiveFailures, other.lastHealthyAt, other.lastLagBytes,
                fencePendingHost, promotions, lastDecision, lastEvent, lastEventAt, alertsSent).equals(other);
    }

    public Journal withFencePending(String host) {
        return new Journal(phase, since, consecutiveFailures, lastHealthyAt, lastLagBytes, host, promotions, lastDecision,
                lastEvent, lastEventAt, alertsSent);
    }

    public Journal withPromotion() {
        return new Journal(phase, since, consecutiveFailures, lastHealthyAt, lastLagBytes, fencePendingHost, promotions + 1,
                lastDecision, lastEvent, lastEventAt, alertsSent);
    }

    public Journal withDecision(String decision) {
        return decision.equals(lastDecision) ? this : new Journal(phase, since, consecutiveFailures, lastHealthyAt, lastLagBytes,
                fencePendingHost, promotions, decision, lastEvent, lastEventAt, alertsSent);
    }

    public Journal withEvent(String event, Instant now) {
        return new Journal(phase, since, consecutiveFailures, lastHealthyAt, lastLagBytes, fencePendingHost, promotions,
                lastDecision, event, now, alertsSent);
    }

    public Journal withAlertSent(String key, Instant now) {
        Map<String, Instant> sent = new TreeMap<>(alertsSent);
        sent.put(key, now);
        return new Journal(phase, since, consecutiveFailures, lastHealthyAt, lastLagBytes, fencePendingHost, promotions,
                lastDecision, lastEvent, lastEventAt, sent);
    }

    public Journal withAlertCleared(String key) {
        if (!alertsSent.containsKey(key)) {
            return this;
        }
        Map<String, Instant> sent = new TreeMap<>(alertsSent);
        sent.remove(key);
        return new Journal(phase, since, consecutiveFailures, lastHealthyAt, lastLagBytes, fencePendingHost, promotions,
                lastDecision, lastEvent, lastEventAt, sent);
    }
}
