package io.gpfo.decision;

import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Alert.Severity;
import io.gpfo.node.Inspection;
import io.gpfo.node.Role;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.state.Journal;
import io.gpfo.state.Phase;
import io.gpfo.vip.DuplicateProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The failover decision (design.md §3, §5, §6): a pure function of the configuration, one
 * round's {@link Observation} and the {@link Journal}, returning the next journal, the actions
 * and the alerts. Read it top to bottom: the local role picks the side (standby, primary, down),
 * each side is a short list of named rules, and every outcome carries the sentence, with its
 * evidence, that the agent logs.
 */
public final class Decision {

    private final GpfoConfig config;
    private final String localHost;
    private final String peerHost;

    public Decision(GpfoConfig config, String localHost, String peerHost) {
        this.config = config;
        this.localHost = localHost;
        this.peerHost = peerHost;
    }

    /**
     * Whether this round needs the expensive evidence: on a standby, when the peer fails this round
     * and so reaches the failure threshold (only then does the decision look at it).
     */
    public boolean wantsDeepEvidence(Observation cheap, Journal journal) {
        return cheap.local().role() == Role.STANDBY && !cheap.peer().sqlAnswers()
                && !journal.phase().promotionSpent() && journal.phase() != Phase.FAILED
                && journal.consecutiveFailures() + 1 >= config.heartbeat().failureThreshold();
    }

    public Outcome decide(Observation observation, Journal journal) {
        Round round = new Round(observation, journal);
        if (observation.pausedUntil().filter(until -> until.isAfter(observation.at())).isPresent()) {
            round.paused();
        } else {
            switch (observation.local().role()) {
                case STANDBY -> round.standby();
                case PRIMARY -> round.primary();
                case DOWN -> round.down();
                default -> round.unknown();
            }
        }
        return round.finish();
    }

    /** After the promotion action ran: promoted (fenced or not) or failed for good. */
    public static Journal afterPromotion(Journal journal, boolean promoted, boolean fenced, String peerHost, String detail,
            Instant now) {
        if (!promoted) {
            return journal.withPhase(Phase.FAILED, now).withEvent("promotion failed: " + detail, now);
        }
        Journal next = journal.withPromotion().withFailures(0).withEvent("promoted: " + detail, now);
        return fenced ? next.withFencePending(null).withPhase(Phase.PROMOTED, now)
                : next.withFencePending(peerHost).withPhase(Phase.FENCE_PENDING, now);
    }

    /** After a pending fence was carried out. */
    public static Journal afterFence(Journal journal, boolean fenced, String detail, Instant now) {
        if (!fenced) {
            return journal.withEvent("fence failed, will retry: " + detail, now);
        }
        Journal next = journal.withFencePending(null).withEvent("fenced: " + detail, now);
        return next.phase() == Phase.FENCE_PENDING ? next.withPhase(Phase.PROMOTED, now) : next;
    }

    private boolean walRecent(Observation.Local local) {
        OptionalDouble seconds = local.secondsSinceWal();
        double window = config.heartbeat().interval().toMillis() * config.heartbeat().failureThreshold() / 1000.0;
        return seconds.isPresent() && seconds.getAsDouble() <= window;
    }

    /** One round's working state: accumulates the journal, actions, alerts and the reason. */
    private final class Round {
        private final Observation observation;
        private final Instant now;
        private Journal journal;
        private final List<Action> actions = new ArrayList<>();
        private final List<Alert> alerts = new ArrayList<>();
        private final Set<String> raised = new HashSet<>();
        private String reason = "";

        Round(Observation observation, Journal journal) {
            this.observation = observation;
            this.now = observation.at();
            this.journal = journal;
        }

        Outcome finish() {
            vipState();
            // conditions not raised this round are over: forget them, so a recurrence alerts at once
            for (String key : List.copyOf(journal.alertsSent().keySet())) {
                if (!raised.contains(key)) {
                    journal = journal.withAlertCleared(key);
                }
            }
            journal = journal.withDecision(reason);
            return new Outcome(journal, List.copyOf(actions), List.copyOf(alerts), reason);
        }

        private void phase(Phase phase) {
            journal = journal.withPhase(phase, now);
        }

        /** A one-off event: logged and alerted once. */
        private void event(Severity severity, String event, String message) {
            alerts.add(new Alert(null, severity, event, message));
            journal = journal.withEvent(message, now);
        }

        /** A condition that lasts: alerted now, then every alerts.repeat while it lasts. */
        private void condition(String key, Severity severity, String message) {
            raised.add(key);
            Instant last = journal.alertsSent().get(key);
            Duration repeat = config.alerts().repeat();
            if (last == null || !now.isBefore(last.plus(repeat))) {
                alerts.add(new Alert(key, severity, key, message));
                journal = journal.withAlertSent(key, now).withEvent(message, now);
            }
        }

        // ------------------------------------------------------------------ maintenance
        void paused() {
            phase(Phase.PAUSED);
            String until = observation.pausedUntil().filter(at -> !at.equals(Instant.MAX)).map(at -> " until " + at).orElse("");
            reason = "paused" + until + ": watching only, no action";
            if (observation.local().role() == Role.STANDBY && !observation.peer().sqlAnswers()) {
                condition("paused-coordinator-down", Severity.CRITICAL, "gpfo is paused" + until + " and the coordinator "
                        + peerHost + " does not answer: not promoting. Run 'gpfo resume' to let gpfo act, or 'gpfo promote'.");
            }
        }

        // ------------------------------------------------------------------ standby side
        void standby() {
            Observation.Local local = observation.local();
            if (journal.phase() == Phase.FAILED) {
                reason = "a promotion failed earlier: not promoting again until an operator runs 'gpfo resume'";
                condition("promotion-failed", Severity.CRITICAL, "an automatic promotion of " + localHost + " failed: "
                        + journal.lastEvent() + ". gpfo will not try again; fix it, then 'gpfo resume' or 'gpfo promote'.");
                return;
            }
            if (journal.phase() != Phase.WATCHING && journal.phase() != Phase.SUSPECT) {
                // re-added as a standby (gpinitstandby) after a promotion or a step-down: start afresh
                event(Severity.INFO, "role-change", localHost + " is a standby now: watching the coordinator " + peerHost);
                journal = journal.withFailures(0).withFencePending(null);
                phase(Phase.WATCHING);
            }
            if (observation.peer().sqlAnswers()) {
                Long lag = observation.peer().status().flatMap(status -> status.standbyLagBytes().isPresent()
                        ? Optional.of(status.standbyLagBytes().getAsLong()) : Optional.<Long>empty()).orElse(null);
                if (journal.consecutiveFailures() > 0) {
                    event(Severity.INFO, "coordinator-back", "the coordinator " + peerHost + " answers SQL again after "
                            + journal.consecutiveFailures() + " failed round(s)");
                }
                journal = journal.healthy(now, lag);
                phase(Phase.WATCHING);
                reason = "the coordinator " + peerHost + " is alive (SQL answers)";
                return;
            }
            int failures = journal.consecutiveFailures() + 1;
            journal = journal.withFailures(failures);
            phase(Phase.SUSPECT);
            int threshold = config.heartbeat().failureThreshold();
            String paths = observation.peer().pathsAnswered() + "/" + observation.peer().paths().size() + " heartbeat paths answer";
            String wal = walRecent(local) ? "WAL received " + String.format("%.1f", local.secondsSinceWal().getAsDouble())
                    + " s ago" : "no recent WAL";
            if (failures < threshold) {
                reason = "the coordinator " + peerHost + " does not answer SQL, " + wal + ", " + paths + " (round " + failures
                        + " of " + threshold + ")";
                if (failures == 1) {
                    event(Severity.WARNING, "coordinator-suspect", reason);
                }
                return;
            }
            Optional<Observation.Deep> deep = observation.deep();
            if (deep.isEmpty()) {
                reason = "the coordinator " + peerHost + " failed " + failures + " rounds; waiting for SSH, gateway and witness"
                        + " evidence";
                return;
            }
            if (walRecent(local) && !deep.get().inspection().map(Inspection::stopped).orElse(false)) {
                // counter-evidence wins: the coordinator still streams to us. Only its postmaster seen
                // stopped (SIGSTOP) on the host itself outweighs that: its walsender lives on, it does not.
                reason = "the coordinator " + peerHost + " does not answer SQL but is alive: " + wal + "; not promoting";
                condition("coordinator-not-accepting", Severity.CRITICAL, "the coordinator " + peerHost + " has not answered"
                        + " SQL for " + failures + " rounds but still streams WAL to " + localHost + " (" + wal + "): not"
                        + " promoting. Check its connections and load.");
                return;
            }
            considerPromotion(local, deep.get(), failures, paths);
        }

        /** The coordinator failed enough rounds: is it really gone, and may this host take over? */
        private void considerPromotion(Observation.Local local, Observation.Deep deep, int failures, String paths) {
            String cause;
            Optional<Inspection> inspection = deep.inspection();
            if (inspection.isPresent()) {
                Inspection seen = inspection.get();
                if (seen.cleanlyStopped()) {
                    reason = "the coordinator " + peerHost + " was shut down cleanly (planned stop): not promoting";
                    condition("coordinator-stopped", Severity.WARNING, "the coordinator " + peerHost + " was shut down cleanly"
                            + " (" + seen.describe() + "): a planned gpstop is not a failure, so gpfo does not promote."
                            + " Start it again, or run 'gpfo promote' if the switch is intended.");
                    return;
                }
                if (seen.running() && !seen.hung()) {
                    // it answers on its own host: what fails is the path between us, not the coordinator
                    reason = "the coordinator " + peerHost + " does not answer SQL from here, but its " + seen.describe()
                            + ": a network problem, not promoting";
                    condition("coordinator-unreachable-network", Severity.CRITICAL, reason + ".");
                    return;
                }
                if (seen.running()) {
                    cause = "its " + seen.describe() + " (hung): it will be fenced first";
                } else if (seen.crashed()) {
                    cause = "its database crashed (" + seen.describe() + ")";
                } else {
                    reason = "the coordinator " + peerHost + " does not answer but its state is unclear (" + seen.describe()
                            + "): not promoting";
                    condition("coordinator-unclear", Severity.CRITICAL, reason + "; check " + peerHost + " by hand.");
                    return;
                }
            } else if (observation.peer().anyPathAnswers()) {
                reason = "the coordinator " + peerHost + " host answers (" + paths + ") but neither SQL nor SSH ("
                        + deep.sshError() + "): not promoting on partial evidence";
                condition("coordinator-unresponsive", Severity.CRITICAL, reason);
                return;
            } else {
                cause = "its host is down: no heartbeat path answers (" + String.join(", ", observation.peer().paths()) + ")";
                if (!hostDownConfirmed(deep)) {
                    return;
                }
            }
            if (!mayPromote(local)) {
                return;
            }
            String evidence = "the coordinator " + peerHost + " failed " + failures + " rounds; " + cause
                    + "; gateway " + config.vip().gateway() + " reachable" + witnessText(deep.witnesses())
                    + (journal.lastLagBytes() == null ? "" : "; lag at the last healthy round " + journal.lastLagBytes() + " bytes");
            reason = "promoting " + localHost + ": " + evidence;
            actions.add(new Action.Promote(evidence));
            phase(Phase.PROMOTING);
            event(Severity.EMERGENCY, "promoting", "promoting " + localHost + " to coordinator: " + evidence);
        }

        /** Host down is evidence by absence: check that this host is not the one cut off. */
        private boolean hostDownConfirmed(Observation.Deep deep) {
            if (!deep.gatewayReachable()) {
                reason = "this host does not reach the gateway " + config.vip().gateway() + ": it is the isolated one, not promoting";
                condition("isolated", Severity.CRITICAL, localHost + " cannot reach the gateway " + config.vip().gateway()
                        + " nor the coordinator " + peerHost + ": this host is isolated; gpfo does not promote from here.");
                return false;
            }
            if (deep.vipProbe().map(DuplicateProbe::answered).orElse(false)) {
                reason = "the VIP still answers ARP (from " + deep.vipProbe().get().replierMac().orElse("?") + ") although "
                        + peerHost + " does not: it is likely alive behind a network cut, not promoting";
                condition("coordinator-behind-cut", Severity.CRITICAL, reason + ".");
                return false;
            }
            Observation.Witnesses witnesses = deep.witnesses();
            int needed = config.witnesses().votesNeeded();
            if (needed > 0 && witnesses.sayHostUnreachable() < needed) {
                reason = "witness quorum not met: " + witnesses.sayHostUnreachable() + " of " + witnesses.configured()
                        + " witnesses say " + peerHost + " is unreachable, " + needed + " needed (" + String.join("; ",
                        witnesses.detail()) + "): not promoting";
                condition("no-quorum", Severity.CRITICAL, "the coordinator " + peerHost + " does not answer " + localHost
                        + ", but the witnesses do not agree it is down (" + String.join("; ", witnesses.detail())
                        + "): a network cut between the coordinator hosts? Not promoting.");
                return false;
            }
            return true;
        }

        /** The standby's own side: promotable, within the lag limit, and not promoted before. */
        private boolean mayPromote(Observation.Local local) {
            if (!local.promotableStandby()) {
                reason = "the coordinator is gone but this host's standby has received no WAL: not promoting";
                condition("standby-not-ready", Severity.CRITICAL, reason);
                return false;
            }
            Long lag = journal.lastLagBytes();
            if (config.promotion().maxLagBytes().isPresent() && lag != null && lag > config.promotion().maxLagBytes().getAsLong()) {
                reason = "the coordinator is gone but the standby was " + lag + " bytes behind at the last healthy round, more"
                        + " than promotion.max_lag_bytes " + config.promotion().maxLagBytes().getAsLong() + ": not promoting";
                condition("lag-too-high", Severity.CRITICAL, reason + ". 'gpfo promote --force' accepts the loss.");
                return false;
            }
            return true;
        }

        private String witnessText(Observation.Witnesses witnesses) {
            return witnesses.configured() == 0 ? "" : "; " + witnesses.sayHostUnreachable() + " of " + witnesses.configured()
                    + " witnesses agree";
        }

        // ------------------------------------------------------------------ primary side
        void primary() {
            Observation.Peer peer = observation.peer();
            if (journal.phase() == Phase.PROMOTING) {
                // a restart between activation and the journal write: the promotion happened
                journal = Decision.afterPromotion(journal, true, false, peerHost, "found primary after a restart", now);
            }
            if (peer.primary()) {
                if (twoPrimaries(peer)) {
                    return;
                }
            }
            if (journal.fencePendingHost() != null && peerReachable()) {
                actions.add(new Action.FencePeer("the old coordinator " + peerHost + " is reachable again"));
                reason = "fencing the old coordinator " + peerHost + " now that it is reachable";
                // repeated (every alerts.repeat) for as long as the fence keeps failing
                condition("fence-pending", Severity.CRITICAL, "the old coordinator " + peerHost + " is reachable again and"
                        + " not fenced yet; gpfo retries every round (last: " + journal.lastEvent() + "). If this persists,"
                        + " stop its postmaster and remove its VIP by hand.");
                return;
            }
            if (journal.phase() != Phase.PROMOTED && journal.phase() != Phase.FENCE_PENDING) {
                phase(Phase.SERVING);
            } else if (journal.phase() == Phase.PROMOTED && peer.status().map(DatabaseStatus::inRecovery).orElse(false)) {
                event(Severity.INFO, "standby-back", peerHost + " streams as a standby again: the pair is whole");
                phase(Phase.SERVING);
            }
            if (journal.phase() == Phase.FENCE_PENDING) {
                condition("fence-pending", Severity.CRITICAL, "the old coordinator " + peerHost + " could not be fenced yet:"
                        + " its VIP and postmaster will be removed the moment it is reachable; do not start it by hand.");
            }
            if (!observation.localHoldsVip() && observation.peerHoldsVip().map(held -> !held).orElse(false)
                    && peerConfirmedNotPrimary()) {
                actions.add(new Action.VipUp("this host is the acting primary and no host holds the VIP"));
                event(Severity.WARNING, "vip-claimed", "claiming the VIP " + config.vip().address() + " on " + localHost
                        + ": it is the acting primary and no host held it");
            }
            reason = "serving as primary" + (peer.status().map(DatabaseStatus::inRecovery).orElse(false)
                    ? ", " + peerHost + " is a standby" : ", " + peerHost + " " + (peer.sqlAnswers() ? "answers" : "does not answer"));
        }

        /** Both hosts are primaries: the one on the lower timeline steps down; on equal timelines nobody moves. */
        private boolean twoPrimaries(Observation.Peer peer) {
            OptionalInt mine = observation.local().timeline();
            OptionalInt theirs = peer.timeline();
            if (mine.isPresent() && theirs.isPresent() && theirs.getAsInt() > mine.getAsInt()) {
                reason = peerHost + " is a primary on a newer timeline (" + theirs.getAsInt() + " > " + mine.getAsInt()
                        + "): stepping down";
                actions.add(new Action.StepDown(reason));
                phase(Phase.STEPPED_DOWN);
                event(Severity.EMERGENCY, "stepping-down", localHost + " is an old coordinator: " + peerHost
                        + " was promoted (timeline " + theirs.getAsInt() + " > " + mine.getAsInt() + "). Dropping the VIP and"
                        + " stopping the postmaster here; re-add this host as a standby with gpinitstandby.");
                return true;
            }
            if (mine.isPresent() && theirs.isPresent() && theirs.getAsInt() < mine.getAsInt()) {
                // the older one steps down by itself; fence it from here if a fence is pending
                return false;
            }
            reason = "split brain: " + localHost + " and " + peerHost + " are both primaries on timeline "
                    + (mine.isPresent() ? mine.getAsInt() : "?") + ": touching nothing";
            condition("split-brain", Severity.EMERGENCY, "SPLIT BRAIN: " + localHost + " and " + peerHost + " are both"
                    + " primaries on the same timeline. gpfo touches nothing; an operator must stop one of them now.");
            return true;
        }

        private boolean peerReachable() {
            return observation.peer().sqlAnswers() || observation.peerHoldsVip().isPresent()
                    || observation.deep().flatMap(Observation.Deep::inspection).isPresent();
        }

        private boolean peerConfirmedNotPrimary() {
            return observation.peer().status().map(DatabaseStatus::inRecovery).orElse(false)
                    || observation.deep().flatMap(Observation.Deep::inspection).map(inspection -> !inspection.running()).orElse(false)
                    || (journal.phase() == Phase.PROMOTED || journal.phase() == Phase.FENCE_PENDING) && !observation.peer().sqlAnswers();
        }

        // ------------------------------------------------------------------ no local database
        void down() {
            if (journal.phase() != Phase.STEPPED_DOWN) {
                phase(Phase.DOWN);
            }
            reason = "no postmaster runs on " + localHost + (journal.phase() == Phase.STEPPED_DOWN
                    ? " (stepped down: re-add it as a standby with gpinitstandby)" : "");
            if (journal.phase() != Phase.STEPPED_DOWN) {
                condition("local-database-down", Severity.WARNING, "the database on " + localHost + " is not running ("
                        + observation.local().detail() + ")");
            }
        }

        void unknown() {
            reason = "the database on " + localHost + " does not answer (" + observation.local().detail() + ")";
            condition("local-database-unknown", Severity.CRITICAL, reason);
        }

        // ------------------------------------------------------------------ VIP state, every round
        private void vipState() {
            boolean local = observation.localHoldsVip();
            Optional<Boolean> peer = observation.peerHoldsVip();
            // a step-down drops this host's VIP in this very round and its own alert says so (every round
            // while it fails). Not so a fence of the peer: a failed fence alerts nothing, so "both" stays.
            boolean steppingDown = actions.stream().anyMatch(action -> action instanceof Action.StepDown);
            if (local && peer.orElse(false) && !steppingDown) {
                condition("vip-both", Severity.EMERGENCY, "the VIP " + config.vip().address() + " is up on both " + localHost
                        + " and " + peerHost + ": clients reach either coordinator. Run 'gpfo vip down' on the one that is not"
                        + " the primary.");
                return;
            }
            Role role = observation.local().role();
            if (role == Role.PRIMARY && !local && peer.isPresent() && !peer.get() && actions.stream()
                    .noneMatch(action -> action instanceof Action.VipUp || action instanceof Action.StepDown)) {
                condition("vip-none", Severity.CRITICAL, "no host holds the VIP " + config.vip().address()
                        + ": clients cannot connect. 'gpfo vip up' on the primary " + localHost + ".");
            } else if (role == Role.PRIMARY && !local && peer.orElse(false)) {
                condition("vip-wrong-holder", Severity.CRITICAL, "the VIP " + config.vip().address() + " is on " + peerHost
                        + " but the primary is " + localHost + ".");
            } else if (role != Role.PRIMARY && local && observation.peer().primary()) {
                condition("vip-wrong-holder", Severity.CRITICAL, "the VIP " + config.vip().address() + " is on " + localHost
                        + " but the primary is " + peerHost + ".");
            }
        }
    }
}
