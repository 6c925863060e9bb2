package io.gpfo.decision;

import io.gpfo.arbiter.ArbiterSession;
import io.gpfo.arbiter.LeaderLease;
import io.gpfo.config.GpfoConfig;
import io.gpfo.node.Inspection;
import io.gpfo.node.Role;
import io.gpfo.ssh.SshFailure;
import io.gpfo.state.Journal;
import io.gpfo.state.PauseFile;
import io.gpfo.state.Phase;
import io.gpfo.vip.DuplicateProbe;
import io.gpfo.vip.VipClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The failover decision (docs/design.md §3, §5, §6): a pure function of the configuration, one
 * round's {@link Observation} and the {@link Journal}, returning the next journal, the actions
 * and the alerts. Read it top to bottom: the local role picks the side (standby, primary, down),
 * each side is a short list of named rules, and every rule returns the sentence, with its
 * evidence, that the agent logs; the alerts it raises are {@link Event}s.
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
     * Whether the peer is suspect: it failed a round and this host has not promoted. The deep probes
     * then run in the background across rounds, so the round that reaches the threshold finds them done.
     */
    public boolean suspect(Journal journal) {
        return journal.health().consecutiveFailures() > 0 && !journal.phase().promotionSpent();
    }

    /**
     * Whether this round needs the expensive evidence: on a standby, when the peer fails this round
     * and so reaches the failure threshold (only then does the decision look at it).
     */
    public boolean wantsDeepEvidence(Observation cheap, Journal journal) {
        return cheap.local().role() == Role.STANDBY && !cheap.peer().sqlAnswers()
                && !journal.phase().promotionSpent() && journal.phase() != Phase.FAILED
                && journal.health().consecutiveFailures() + 1 >= config.heartbeat().failureThreshold();
    }

    public Outcome decide(Observation observation, Journal journal) {
        Round round = new Round(observation, journal);
        return round.finish(round.decide());
    }

    /**
     * What an action's executor reports: whether it succeeded, whether the old coordinator was fenced
     * (a promotion fences first where it can), and a sentence of what happened.
     */
    public record ActionResult(boolean succeeded, boolean peerFenced, String detail) {
    }

    /**
     * The journal after an action, the alerts its result calls for, and whether the round's later actions are
     * dropped: they rest on the earlier ones (no promotion without the leader key, no VIP without the promotion).
     */
    public record AfterAction(Journal journal, List<Alert> alerts, boolean endsRound) {
        AfterAction(Journal journal, List<Alert> alerts) {
            this(journal, alerts, false);
        }
    }

    /** What an action's result means: decided here, like everything else, not in the executor. */
    public AfterAction after(Action action, ActionResult result, Journal journal, Instant now) {
        AfterAction meaning = meaning(action, result, journal, now);
        return new AfterAction(meaning.journal(), meaning.alerts(), !result.succeeded());
    }

    private AfterAction meaning(Action action, ActionResult result, Journal journal, Instant now) {
        String detail = result.detail();
        return action.accept(new Action.Handler<AfterAction>() {
            @Override
            public AfterAction promote(Action.Promote promote) {
                if (!result.succeeded()) {
                    return new AfterAction(journal.withPhase(Phase.FAILED, now).withEvent("promotion failed: " + detail, now),
                            List.of());
                }
                return new AfterAction(promoted(journal, result.peerFenced(), "promoted: " + detail, now), List.of());
            }

            @Override
            public AfterAction fencePeer(Action.FencePeer fence) {
                if (!result.succeeded()) {
                    return new AfterAction(journal.withEvent("fence failed, will retry: " + detail, now), List.of());
                }
                Journal next = journal.withFencePending(Optional.empty()).withEvent("fenced: " + detail, now);
                return new AfterAction(next.phase() == Phase.FENCE_PENDING ? next.withPhase(Phase.PROMOTED, now) : next,
                        List.of(new Alert(Event.OLD_COORDINATOR_FENCED, "the old coordinator " + peerHost + " came back and"
                                + " was fenced (" + detail + "); re-add it as the standby with 'gpfo rejoin'")));
            }

            @Override
            public AfterAction vipUp(Action.VipUp up) {
                return new AfterAction(journal.withEvent((result.succeeded() ? "VIP claimed: " : "VIP claim failed: ") + detail,
                        now), List.of());
            }

            @Override
            public AfterAction stepDown(Action.StepDown down) {
                return new AfterAction(journal.withEvent((result.succeeded() ? "stepped down: " : "step-down incomplete: ")
                        + detail, now), List.of());
            }

            @Override
            public AfterAction claimLeader(Action.ClaimLeader claim) {
                if (result.succeeded()) {
                    return new AfterAction(journal.withEvent("took the leader key: " + detail, now), List.of());
                }
                // another host took it first (or etcd did not answer): the promotion that follows is not run
                Journal next = journal.withEvent("could not take the leader key: " + detail, now);
                return new AfterAction(next.phase() == Phase.PROMOTING ? next.withPhase(Phase.SUSPECT, now) : next, List.of());
            }

            @Override
            public AfterAction selfFence(Action.SelfFence fence) {
                if (result.succeeded()) {
                    return new AfterAction(journal.withEvent("fenced itself: " + detail, now), List.of(new Alert(
                            Event.SELF_FENCED, localHost + " fenced itself after losing its lease (" + detail + "); never start"
                            + " it by hand, re-add it as a standby with 'gpfo rejoin' once " + peerHost + " serves")));
                }
                return new AfterAction(journal.withEvent("self-fence incomplete: " + detail, now), List.of(new Alert(
                        Event.LEASE_LOST, localHost + " lost its lease but could not fence itself (" + detail + "); gpfo retries"
                        + " every round: stop its postmaster and drop its VIP by hand")));
            }
        });
    }

    /** The promotion happened: counted, and the old coordinator owed a fence unless it was fenced. */
    private Journal promoted(Journal journal, boolean fenced, String event, Instant now) {
        Journal next = journal.withPromotion().withFailures(0).withEvent(event, now);
        return fenced ? next.withFencePending(Optional.empty()).withPhase(Phase.PROMOTED, now)
                : next.withFencePending(Optional.of(peerHost)).withPhase(Phase.FENCE_PENDING, now);
    }

    private boolean walRecent(Observation.Local local) {
        OptionalDouble seconds = local.secondsSinceWal();
        double window = config.heartbeat().interval().toMillis() * config.heartbeat().failureThreshold() / 1000.0;
        return seconds.isPresent() && seconds.getAsDouble() <= window;
    }

    /** One round's working state: accumulates the journal, actions and alerts; rules return their sentence. */
    private final class Round {
        private final Observation observation;
        private final Instant now;
        private Journal journal;
        private final List<Action> actions = new ArrayList<>();
        private final List<Alert> alerts = new ArrayList<>();
        private final Set<Event> raised = EnumSet.noneOf(Event.class);

        Round(Observation observation, Journal journal) {
            this.observation = observation;
            this.now = observation.at();
            this.journal = journal;
        }

        String decide() {
            if (observation.maintenance().resumeRequested() && journal.phase() == Phase.FAILED) {
                journal = journal.withFailures(0);
                phase(Phase.WATCHING);
                event(Event.RESUMED, "'gpfo resume' cleared the failed promotion on " + localHost + ": watching again");
            }
            if (observation.maintenance().pausedAt(now)) {
                return paused();
            }
            return switch (observation.local().role()) {
                case STANDBY -> standby();
                case PRIMARY -> primary();
                case DOWN -> down();
                case UNKNOWN -> unknown();
            };
        }

        Outcome finish(String reason) {
            vipState();
            hostKey();
            arbiterState();
            // conditions not raised this round are over: forget them, so a recurrence alerts at once
            for (String key : List.copyOf(journal.alertsSent().keySet())) {
                if (Event.ofKey(key).map(event -> !raised.contains(event)).orElse(true)) {
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
        private void event(Event event, String message) {
            alerts.add(new Alert(event, message));
            journal = journal.withEvent(message, now);
        }

        /** A condition that lasts: alerted now, then every alerts.repeat while it lasts. */
        private void condition(Event event, String message) {
            raised.add(event);
            Instant last = journal.alertsSent().get(event.key());
            Duration repeat = config.alerts().repeat();
            if (last == null || !now.isBefore(last.plus(repeat))) {
                alerts.add(new Alert(event, message));
                journal = journal.withAlertSent(event.key(), now).withEvent(message, now);
            }
        }

        /** A reason not to act that lasts: the condition raised, and the sentence returned. */
        private String holdBack(Event event, String reason, String message) {
            condition(event, message);
            return reason;
        }

        // ------------------------------------------------------------------ maintenance
        String paused() {
            if (!journal.phase().remembered()) {
                phase(Phase.PAUSED);
            }
            PauseFile.Pause pause = observation.maintenance().pause().orElseThrow();
            String why = pause.by().equals(PauseFile.BY_OPERATOR) ? "" : " (" + pause.by() + ")";
            if (observation.local().role() == Role.STANDBY && !observation.peer().sqlAnswers()) {
                condition(Event.PAUSED_COORDINATOR_DOWN, "gpfo is paused" + why + pause.untilText() + " and the coordinator "
                        + peerHost + " does not answer: not promoting. Run 'gpfo resume' to let gpfo act, or 'gpfo promote'.");
            }
            return "paused" + why + pause.untilText() + ": watching only, no action";
        }

        // ------------------------------------------------------------------ standby side
        String standby() {
            Observation.Local local = observation.local();
            if (journal.phase() == Phase.PROMOTING) {
                // the agent restarted while promoting and this host is still a standby: the promotion did not
                // finish, and may have half run. It is never tried again by itself: an operator looks first.
                journal = journal.withPhase(Phase.FAILED, now).withEvent("a promotion of " + localHost + " was interrupted"
                        + " (the agent restarted while promoting) and it is still a standby", now);
            }
            if (journal.phase() == Phase.FAILED) {
                return holdBack(Event.PROMOTION_FAILED, "a promotion failed earlier: not promoting again until an operator runs"
                        + " 'gpfo resume'", "an automatic promotion of " + localHost + " failed: "
                        + journal.activity().lastEvent().orElse("see the log") + ". gpfo will not try again; fix it, then"
                        + " 'gpfo resume' or 'gpfo promote'.");
            }
            if (journal.phase() != Phase.WATCHING && journal.phase() != Phase.SUSPECT) {
                // re-added as a standby (gpinitstandby) after a promotion or a step-down: start afresh
                event(Event.ROLE_CHANGE, localHost + " is a standby now: watching the coordinator " + peerHost);
                journal = journal.withFailures(0).withFencePending(Optional.empty());
                phase(Phase.WATCHING);
            }
            if (observation.peer().sqlAnswers()) {
                int failed = journal.health().consecutiveFailures();
                if (failed > 0) {
                    event(Event.COORDINATOR_BACK, "the coordinator " + peerHost + " answers SQL again after " + failed
                            + " failed round(s)");
                }
                journal = journal.healthy(now, observation.peer().status().get().standbyLagBytes());
                phase(Phase.WATCHING);
                return "the coordinator " + peerHost + " is alive (SQL answers)";
            }
            int failures = journal.health().consecutiveFailures() + 1;
            journal = journal.withFailures(failures);
            phase(Phase.SUSPECT);
            int threshold = config.heartbeat().failureThreshold();
            String paths = observation.peer().pathsAnswered() + "/" + observation.peer().paths().size() + " heartbeat paths answer";
            String wal = walRecent(local) ? "WAL received " + String.format("%.1f", local.secondsSinceWal().getAsDouble())
                    + " s ago" : "no recent WAL";
            if (failures < threshold) {
                String reason = "the coordinator " + peerHost + " does not answer SQL, " + wal + ", " + paths + " (round "
                        + failures + " of " + threshold + ")";
                if (failures == 1) {
                    event(Event.COORDINATOR_SUSPECT, reason);
                }
                return reason;
            }
            Optional<Observation.Deep> deep = observation.deep();
            if (deep.isEmpty()) {
                return "the coordinator " + peerHost + " failed " + failures + " rounds; waiting for SSH, gateway and witness"
                        + " evidence";
            }
            if (walRecent(local) && !deep.get().inspection().map(Inspection::stopped).orElse(false)) {
                // counter-evidence wins: the coordinator still streams to us. Only its postmaster seen
                // stopped (SIGSTOP) on the host itself outweighs that: its walsender lives on, it does not.
                return holdBack(Event.COORDINATOR_NOT_ACCEPTING, "the coordinator " + peerHost + " does not answer SQL but is"
                        + " alive: " + wal + "; not promoting", "the coordinator " + peerHost + " has not answered SQL for "
                        + failures + " rounds but still streams WAL to " + localHost + " (" + wal + "): not promoting. Check its"
                        + " connections and load.");
            }
            return considerPromotion(local, deep.get(), failures, paths);
        }

        /** The coordinator failed enough rounds: is it really gone, and may this host take over? */
        private String considerPromotion(Observation.Local local, Observation.Deep deep, int failures, String paths) {
            String cause;
            Optional<Inspection> inspection = deep.inspection();
            if (inspection.isPresent()) {
                Inspection seen = inspection.get();
                if (seen.cleanlyStopped()) {
                    return holdBack(Event.COORDINATOR_STOPPED, "the coordinator " + peerHost + " was shut down cleanly (planned"
                            + " stop): not promoting", "the coordinator " + peerHost + " was shut down cleanly ("
                            + seen.describe() + "): a planned gpstop is not a failure, so gpfo does not promote. Start it again,"
                            + " or run 'gpfo promote' if the switch is intended.");
                }
                if (seen.running() && !seen.hung()) {
                    // it answers on its own host: what fails is the path between us, not the coordinator
                    String reason = "the coordinator " + peerHost + " does not answer SQL from here, but its " + seen.describe()
                            + ": a network problem, not promoting";
                    return holdBack(Event.COORDINATOR_UNREACHABLE_NETWORK, reason, reason + ".");
                }
                if (seen.running()) {
                    cause = "its " + seen.describe() + " (hung): it will be fenced first";
                } else if (seen.crashed()) {
                    cause = "its database crashed (" + seen.describe() + ")";
                } else {
                    String reason = "the coordinator " + peerHost + " does not answer but its state is unclear ("
                            + seen.describe() + "): not promoting";
                    return holdBack(Event.COORDINATOR_UNCLEAR, reason, reason + "; check " + peerHost + " by hand.");
                }
            } else if (observation.peer().anyPathAnswers()) {
                String reason = "the coordinator " + peerHost + " host answers (" + paths + ") but neither SQL nor SSH ("
                        + deep.sshError() + "): not promoting on partial evidence";
                return holdBack(Event.COORDINATOR_UNRESPONSIVE, reason, reason);
            } else {
                Optional<String> notDown = hostDownRefusal(deep);
                if (notDown.isPresent()) {
                    return notDown.get();
                }
                cause = "its host is down: no heartbeat path answers (" + observation.peer().paths().stream()
                        .map(result -> result.path().toString()).reduce((a, b) -> a + ", " + b).orElse("") + ")";
            }
            Optional<String> notReady = standbyRefusal(local);
            if (notReady.isPresent()) {
                return notReady.get();
            }
            Optional<String> noLease = leaseRefusal();
            if (noLease.isPresent()) {
                return noLease.get();
            }
            String evidence = "the coordinator " + peerHost + " failed " + failures + " rounds; " + cause
                    + "; gateway " + config.vip().gateway() + " reachable" + witnessText(deep.witnesses())
                    + journal.health().lastLagBytes().stream().mapToObj(lag -> "; lag at the last healthy round " + lag
                            + " bytes").findFirst().orElse("") + leaseText();
            if (observation.arbiter().isPresent() && !observation.arbiter().get().leaderIs(localHost)) {
                // the promotion runs only if the claim succeeds: the agent stops a round's actions at the first failure
                actions.add(new Action.ClaimLeader("the leader key is free: " + localHost + " takes it to promote"));
            }
            actions.add(new Action.Promote(evidence));
            phase(Phase.PROMOTING);
            event(Event.PROMOTING, "promoting " + localHost + " to coordinator: " + evidence);
            return "promoting " + localHost + ": " + evidence;
        }

        /** Host down is evidence by absence: why this host may be the one cut off, if it may. */
        private Optional<String> hostDownRefusal(Observation.Deep deep) {
            if (!deep.gatewayReachable()) {
                return Optional.of(holdBack(Event.ISOLATED, "this host does not reach the gateway " + config.vip().gateway()
                        + ": it is the isolated one, not promoting", localHost + " cannot reach the gateway "
                        + config.vip().gateway() + " nor the coordinator " + peerHost + ": this host is isolated; gpfo does"
                        + " not promote from here."));
            }
            if (deep.vipProbe().map(DuplicateProbe::answered).orElse(false)) {
                String reason = "the VIP still answers ARP (from " + deep.vipProbe().get().replierMac().orElse("?")
                        + ") although " + peerHost + " does not: it is likely alive behind a network cut, not promoting";
                return Optional.of(holdBack(Event.COORDINATOR_BEHIND_CUT, reason, reason + "."));
            }
            Observation.Witnesses witnesses = deep.witnesses();
            int needed = config.witnesses().votesNeeded();
            if (needed > 0 && witnesses.sayHostUnreachable() < needed) {
                String votes = String.join("; ", witnesses.detail());
                return Optional.of(holdBack(Event.NO_QUORUM, "witness quorum not met: " + witnesses.sayHostUnreachable() + " of "
                        + witnesses.configured() + " witnesses say " + peerHost + " is unreachable, " + needed + " needed ("
                        + votes + "): not promoting", "the coordinator " + peerHost + " does not answer " + localHost
                        + ", but the witnesses do not agree it is down (" + votes + "): a network cut between the coordinator"
                        + " hosts? Not promoting."));
            }
            return Optional.empty();
        }

        /** The standby's own side: why it may not be promoted (no WAL received, lag above the limit), if so. */
        private Optional<String> standbyRefusal(Observation.Local local) {
            if (!local.promotableStandby()) {
                String reason = "the coordinator is gone but this host's standby has received no WAL: not promoting";
                return Optional.of(holdBack(Event.STANDBY_NOT_READY, reason, reason));
            }
            var lag = journal.health().lastLagBytes();
            var limit = config.promotion().maxLagBytes();
            if (limit.isPresent() && lag.isPresent() && lag.getAsLong() > limit.getAsLong()) {
                String reason = "the coordinator is gone but the standby was " + lag.getAsLong() + " bytes behind at the last"
                        + " healthy round, more than promotion.max_lag_bytes " + limit.getAsLong() + ": not promoting";
                return Optional.of(holdBack(Event.LAG_TOO_HIGH, reason, reason + ". 'gpfo promote --force' accepts the loss."));
            }
            return Optional.empty();
        }

        /**
         * With an arbiter, the standby also needs the leader key: etcd must answer (a quorum), and the key
         * must be free (the coordinator's lease expired) or already this host's.
         */
        private Optional<String> leaseRefusal() {
            Optional<Observation.ArbiterView> arbiter = observation.arbiter();
            if (arbiter.isEmpty()) {
                return Optional.empty();
            }
            Observation.ArbiterView view = arbiter.get();
            if (!view.answered()) {
                // alerted by arbiterState(): ARBITER_UNREACHABLE or ARBITER_NO_QUORUM
                return Optional.of("the coordinator " + peerHost + " looks gone but etcd gives no lease (" + view.reach().label()
                        + ": " + view.detail() + "): not promoting without it; 'gpfo promote --force' remains");
            }
            if (view.leader().isPresent() && !view.leaderIs(localHost)) {
                String holder = view.leader().get().host();
                String reason = "the coordinator " + peerHost + " looks gone but the leader key still names " + holder
                        + " under a live lease: not promoting until it expires";
                return Optional.of(holdBack(Event.LEASE_HELD, reason, reason + " (at most arbiter.ttl "
                        + config.arbiter().map(settings -> settings.ttl().toSeconds() + " s").orElse("") + " after "
                        + holder + "'s last renewal)."));
            }
            return Optional.empty();
        }

        private String leaseText() {
            return observation.arbiter().map(view -> view.leaderIs(localHost) ? "; the leader key is already " + localHost
                    + "'s" : "; the leader key is free (the coordinator's lease expired)").orElse("");
        }

        private String witnessText(Observation.Witnesses witnesses) {
            return witnesses.configured() == 0 ? "" : "; " + witnesses.sayHostUnreachable() + " of " + witnesses.configured()
                    + " witnesses agree";
        }

        // ------------------------------------------------------------------ primary side
        String primary() {
            Observation.Peer peer = observation.peer();
            if (journal.phase() == Phase.PROMOTING) {
                // a restart between activation and the journal write: the promotion happened
                journal = promoted(journal, false, "promoted: found primary after a restart", now);
            }
            if (peer.primary()) {
                Optional<String> twoPrimaries = twoPrimaries(peer);
                if (twoPrimaries.isPresent()) {
                    return twoPrimaries.get();
                }
            }
            Optional<String> lease = primaryLease();
            if (lease.isPresent()) {
                return lease.get();
            }
            if (journal.promotions().fencePendingHost().isPresent() && peer.standby()) {
                // the old coordinator was re-added as a standby (gpfo rejoin, gpinitstandby): in recovery it
                // cannot serve, so the fence is no longer owed, and carrying it out would stop the new standby
                journal = journal.withFencePending(Optional.empty()).withEvent(peerHost + " is a standby now: no fence owed",
                        now);
                if (journal.phase() == Phase.FENCE_PENDING) {
                    phase(Phase.PROMOTED);
                }
            }
            if (journal.promotions().fencePendingHost().isPresent() && peerReachable()) {
                actions.add(new Action.FencePeer("the old coordinator " + peerHost + " is reachable again"));
                // repeated (every alerts.repeat) for as long as the fence keeps failing
                return holdBack(Event.FENCE_PENDING, "fencing the old coordinator " + peerHost + " now that it is reachable",
                        "the old coordinator " + peerHost + " is reachable again and not fenced yet; gpfo retries every round"
                        + " (last: " + journal.activity().lastEvent().orElse("none") + "). If this persists, stop its"
                        + " postmaster and remove its VIP by hand.");
            }
            if (journal.phase() != Phase.PROMOTED && journal.phase() != Phase.FENCE_PENDING) {
                phase(Phase.SERVING);
            } else if (journal.phase() == Phase.PROMOTED && peer.standby()) {
                event(Event.STANDBY_BACK, peerHost + " streams as a standby again: the pair is whole");
                phase(Phase.SERVING);
            }
            if (journal.phase() == Phase.FENCE_PENDING) {
                condition(Event.FENCE_PENDING, "the old coordinator " + peerHost + " could not be fenced yet: its VIP and"
                        + " postmaster will be removed the moment it is reachable; do not start it by hand.");
            }
            VipClaim.Verdict claim = VipClaim.judge(claimFacts());
            if (claim.claim()) {
                actions.add(new Action.VipUp(claim.reason()));
                event(Event.VIP_CLAIMED, "claiming the VIP " + config.vip().address() + " on " + localHost + ": "
                        + claim.reason());
            }
            return "serving as primary" + (peer.standby() ? ", " + peerHost + " is a standby"
                    : ", " + peerHost + " " + (peer.sqlAnswers() ? "answers" : "does not answer"));
        }

        /**
         * The arbiter's say on a primary: it takes the leader key when the key is free, keeps it (renewed
         * by the probe), and stops serving when its lease is lost: the key names another host after this
         * host held it, or etcd has not answered and the lease may expire within two intervals and one
         * timeout (the fence margin). Not then if its standby answers and reaches no etcd either
         * (failsafe: etcd down for everyone is no reason to take the database away).
         */
        private Optional<String> primaryLease() {
            if (observation.arbiter().isEmpty() || config.arbiter().isEmpty()) {
                return Optional.empty();
            }
            Observation.ArbiterView view = observation.arbiter().get();
            if (view.answered() && journal.phase() == Phase.STEPPED_DOWN) {
                // it gave the key up (or lost it) and stopped, yet its postmaster answers as a primary: the fence did not work
                return Optional.of(selfFence(localHost + " stepped down but its postmaster still serves as primary"));
            }
            if (view.answered()) {
                // the same rule as the probe's renewal: a host that stepped down never takes the key back by itself
                boolean serves = ArbiterSession.servesAsPrimary(observation.local(), journal.phase());
                if (view.leader().isEmpty()) {
                    if (serves) {
                        actions.add(new Action.ClaimLeader("the leader key is free and " + localHost + " serves"));
                    }
                } else if (!view.leaderIs(localHost) && view.heldUntil().isPresent()) {
                    return Optional.of(selfFence("the leader key names " + view.leader().get().host() + " although "
                            + localHost + " held it: its lease was lost"));
                } else if (!view.leaderIs(localHost)) {
                    condition(Event.LEADER_ELSEWHERE, localHost + " serves as primary but the leader key names "
                            + view.leader().get().host() + "; after a switchover or a manual promotion it expires within"
                            + " arbiter.ttl and " + localHost + " takes it.");
                }
                return serves ? Optional.empty() : Optional.of(localHost + " stepped down: it neither takes nor renews the"
                        + " leader key; re-add it as a standby with 'gpfo rejoin'");
            }
            GpfoConfig.Arbiter settings = config.arbiter().get();
            Instant expiresBy = view.heldUntil().orElse(view.lastAnswered().plus(settings.ttl()));
            Instant stopAt = expiresBy.minus(GpfoConfig.Arbiter.fenceMargin(config.heartbeat()));
            if (now.isBefore(stopAt)) {
                return Optional.empty(); // alerted by arbiterState(); the lease still holds
            }
            boolean standbyAnswers = observation.peer().sqlAnswers();
            Optional<Observation.PeerReach> word = view.peerReach();
            if (standbyAnswers && word.map(said -> said.reach() != LeaderLease.Reach.ANSWERED).orElse(false)) {
                condition(Event.ARBITER_FAILSAFE, localHost + " could not renew its lease (etcd " + view.reach().label()
                        + ": " + view.detail() + "), but " + peerHost + " answers and reaches no etcd either: serving on"
                        + " (failsafe); " + peerHost + " cannot promote meanwhile.");
                return Optional.empty();
            }
            // "answered" says the standby reaches etcd only when written after this host first missed it: an older word may
            // come from before the outage, which the standby's own round has not met yet
            boolean standbyReachesEtcd = word.map(said -> said.reach() == LeaderLease.Reach.ANSWERED
                    && view.missedSince().map(said.written()::isAfter).orElse(true)).orElse(false);
            // A standby that answers this host but whose word is not known yet gets one more round to tell it, while the
            // lease holds by a round and a timeout. Safe because it answers: it sees this host serve and does not promote.
            Instant lastChance = expiresBy.minus(config.heartbeat().interval().plus(config.heartbeat().timeout()));
            if (standbyAnswers && !standbyReachesEtcd && now.isBefore(lastChance)) {
                return Optional.empty(); // alerted by arbiterState()
            }
            return Optional.of(selfFence(localHost + " could not renew its lease (etcd " + view.reach().label() + ": "
                    + view.detail() + ") and it may expire at " + expiresBy + "; " + peerHost
                    + (!standbyAnswers ? " does not answer" : standbyReachesEtcd ? " reaches etcd"
                            : " has not said whether it reaches etcd since " + localHost + " lost it")
                    + ": stopping"));
        }

        /** The lease is lost: drop the VIP and stop the postmaster here, before the standby can take the key. */
        private String selfFence(String reason) {
            actions.add(new Action.SelfFence(reason));
            if (journal.phase() != Phase.STEPPED_DOWN) {
                phase(Phase.STEPPED_DOWN);
                event(Event.LEASE_LOST, reason + ". Dropping the VIP and stopping the postmaster on " + localHost
                        + "; re-add it as a standby with 'gpfo rejoin' once " + peerHost + " serves.");
            }
            return reason;
        }

        /** What this round saw that the VIP-claim judgement needs. */
        private VipClaim.Facts claimFacts() {
            Observation.VipView vip = observation.vip();
            VipClaim.PeerVip peerVip = vip.peerHolds().map(holds -> holds ? VipClaim.PeerVip.HOLDS : VipClaim.PeerVip.FREE)
                    .orElse(VipClaim.PeerVip.UNKNOWN);
            VipClaim.PeerRole peerRole = observation.peer().primary() ? VipClaim.PeerRole.PRIMARY
                    : peerConfirmedNotPrimary() ? VipClaim.PeerRole.NOT_PRIMARY : VipClaim.PeerRole.UNKNOWN;
            return new VipClaim.Facts(peerHost, observation.local().role(), vip.heldHere(), peerVip, peerRole, vip.arp());
        }

        /** Both hosts are primaries: the one on the lower timeline steps down; on equal timelines nobody moves. */
        private Optional<String> twoPrimaries(Observation.Peer peer) {
            OptionalInt mine = observation.local().timeline();
            OptionalInt theirs = peer.timeline();
            if (mine.isPresent() && theirs.isPresent() && theirs.getAsInt() > mine.getAsInt()) {
                String reason = peerHost + " is a primary on a newer timeline (" + theirs.getAsInt() + " > " + mine.getAsInt()
                        + "): stepping down";
                actions.add(new Action.StepDown(reason));
                phase(Phase.STEPPED_DOWN);
                event(Event.STEPPING_DOWN, localHost + " is an old coordinator: " + peerHost + " was promoted (timeline "
                        + theirs.getAsInt() + " > " + mine.getAsInt() + "). Dropping the VIP and stopping the postmaster here;"
                        + " re-add this host as the standby with 'gpfo rejoin'.");
                return Optional.of(reason);
            }
            if (mine.isPresent() && theirs.isPresent() && theirs.getAsInt() < mine.getAsInt()) {
                // the older one steps down by itself; fence it from here if a fence is pending
                return Optional.empty();
            }
            return Optional.of(holdBack(Event.SPLIT_BRAIN, "split brain: " + localHost + " and " + peerHost + " are both"
                    + " primaries on timeline " + (mine.isPresent() ? mine.getAsInt() : "?") + ": touching nothing",
                    "SPLIT BRAIN: " + localHost + " and " + peerHost + " are both primaries on the same timeline. gpfo touches"
                    + " nothing; an operator must stop one of them now."));
        }

        private boolean peerReachable() {
            return observation.peer().sqlAnswers() || observation.vip().peerHolds().isPresent()
                    || observation.deep().flatMap(Observation.Deep::inspection).isPresent();
        }

        private boolean peerConfirmedNotPrimary() {
            return observation.peer().standby()
                    || observation.deep().flatMap(Observation.Deep::inspection).map(inspection -> !inspection.running()).orElse(false)
                    || (journal.phase() == Phase.PROMOTED || journal.phase() == Phase.FENCE_PENDING) && !observation.peer().sqlAnswers();
        }

        // ------------------------------------------------------------------ no local database
        String down() {
            if (journal.phase() == Phase.STEPPED_DOWN) {
                return "no postmaster runs on " + localHost + " (stepped down: re-add it as the standby with 'gpfo rejoin')";
            }
            phase(Phase.DOWN);
            return holdBack(Event.LOCAL_DATABASE_DOWN, "no postmaster runs on " + localHost, "the database on " + localHost
                    + " is not running (" + observation.local().detail() + ")");
        }

        String unknown() {
            String reason = "the database on " + localHost + " does not answer (" + observation.local().detail() + ")";
            return holdBack(Event.LOCAL_DATABASE_UNKNOWN, reason, reason);
        }

        // ------------------------------------------------------------------ SSH trust, every round
        /**
         * A refused host key is never a plain "SSH failed": until an operator verifies the key, gpfo can
         * neither inspect nor fence the peer, so a failover would rest on half the evidence; a witness
         * behind a refused key casts no vote, so the quorum may never be met when it is needed.
         */
        private void hostKey() {
            List<String> refusals = new ArrayList<>();
            observation.vip().peerUnasked().filter(SshFailure::hostKey)
                    .or(() -> observation.deep().flatMap(Observation.Deep::sshFailure).filter(SshFailure::hostKey))
                    .ifPresent(failure -> refusals.add("SSH from " + localHost + " to " + peerHost + " refused: "
                            + failure.message() + ". Until it is fixed gpfo cannot inspect or fence " + peerHost + "."));
            observation.deep().map(deep -> deep.witnesses().votes()).orElse(List.of()).stream()
                    .filter(Observation.WitnessVote::hostKeyRefused)
                    .forEach(vote -> refusals.add("SSH from " + localHost + " to the witness " + vote.witness() + " refused: "
                            + vote.unasked().orElseThrow().message() + ". Until it is fixed " + vote.witness()
                            + " casts no vote."));
            if (!refusals.isEmpty()) {
                condition(Event.HOST_KEY_UNVERIFIED, String.join(" ", refusals));
            }
        }

        // ------------------------------------------------------------------ the arbiter, every round
        /**
         * Alerted once etcd has been missed for longer than a slow round (an interval and a timeout): losing the etcd
         * leader makes the others answer nothing for an election (about a second), which is no outage worth a page.
         */
        private void arbiterState() {
            Duration slowRound = config.heartbeat().interval().plus(config.heartbeat().timeout());
            observation.arbiter().filter(view -> !view.answered() && view.missedSince().map(since -> !now.isBefore(
                    since.plus(slowRound))).orElse(true)).ifPresent(view -> condition(
                    view.reach() == LeaderLease.Reach.NO_QUORUM ? Event.ARBITER_NO_QUORUM : Event.ARBITER_UNREACHABLE,
                    "etcd " + view.reach().label() + " from " + localHost + " (" + view.detail() + "): "
                    + (observation.local().role() == Role.PRIMARY ? localHost + " serves on while its lease may hold, then"
                            + " only if " + peerHost + " reaches no etcd either"
                            : localHost + " cannot take the leader key, so it does not promote; 'gpfo promote --force'"
                            + " remains") + "."));
        }

        // ------------------------------------------------------------------ VIP state, every round
        private void vipState() {
            boolean local = observation.vip().heldHere();
            Optional<Boolean> peer = observation.vip().peerHolds();
            // a step-down drops this host's VIP in this very round and its own alert says so (every round
            // while it fails). Not so a fence of the peer: a failed fence alerts nothing, so "both" stays.
            boolean steppingDown = actions.stream().anyMatch(action -> action instanceof Action.StepDown);
            if (local && peer.orElse(false) && !steppingDown) {
                condition(Event.VIP_BOTH, "the VIP " + config.vip().address() + " is up on both " + localHost + " and "
                        + peerHost + ": clients reach either coordinator. Run 'gpfo vip down' on the one that is not the"
                        + " primary.");
                return;
            }
            Role role = observation.local().role();
            if (role == Role.PRIMARY && !local && peer.isPresent() && !peer.get() && actions.stream()
                    .noneMatch(action -> action instanceof Action.VipUp || action instanceof Action.StepDown)) {
                condition(Event.VIP_NONE, "no host holds the VIP " + config.vip().address() + ": clients cannot connect."
                        + " 'gpfo vip up' on the primary " + localHost + ".");
            } else if (role == Role.PRIMARY && !local && peer.orElse(false)) {
                condition(Event.VIP_WRONG_HOLDER, "the VIP " + config.vip().address() + " is on " + peerHost
                        + " but the primary is " + localHost + ".");
            } else if (role != Role.PRIMARY && local && observation.peer().primary()) {
                condition(Event.VIP_WRONG_HOLDER, "the VIP " + config.vip().address() + " is on " + localHost
                        + " but the primary is " + peerHost + ".");
            }
        }
    }
}
