package io.gpfo.api;

import io.gpfo.agent.Agent;
import io.gpfo.arbiter.LeaderLease;
import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Action;
import io.gpfo.decision.Event;
import io.gpfo.decision.Observation;
import io.gpfo.history.EventRecord;
import io.gpfo.node.NodeName;
import io.gpfo.node.Role;
import io.gpfo.state.Journal;
import io.gpfo.state.Phase;
import io.gpfo.status.ClusterStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * The agent's Prometheus metrics (the README's Observability section lists them), kept in the
 * Prometheus client's own types: each round's snapshot sets the gauges and counts the round, each
 * recorded event counts alerts, promotions and fences. Updating them never blocks on a scrape.
 */
public final class AgentMetrics {

    /** Action names as the agent records them: taken from the actions, not spelled twice. */
    private static final String PROMOTE = new Action.Promote("").name();
    private static final String FENCE_PEER = new Action.FencePeer("").name();
    private static final String[] RESULTS = {EventRecord.Result.OK.label(), EventRecord.Result.FAILED.label()};

    private final GpfoConfig config;
    private final NodeName local;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge phase;
    private final Gauge role;
    private final Gauge vipHeld;
    private final Gauge peerReachable;
    private final Gauge failedRounds;
    private final Gauge lagBytes;
    private final Gauge replicationStreaming;
    private final Gauge timeline;
    private final Gauge lastHealthyRound;
    private final Gauge lastRound;
    private final Gauge paused;
    private final Counter rounds;
    private final Histogram roundDuration;
    private final Counter promotions;
    private final Counter fences;
    private final Counter alerts;
    /** Only with an arbiter in gpfo.yaml: how etcd answered, whether the key names this host, the lease left. */
    private final java.util.Optional<ArbiterGauges> arbiter;

    private record ArbiterGauges(Gauge reach, Gauge leaderHeld, Gauge leaseRemaining) {
    }

    public AgentMetrics(GpfoConfig config, NodeName local) {
        this.config = config;
        this.local = local;
        Gauge info = gauge("gpfo_agent_info", "The agent: its cluster, host and node (coordinator or standby in gpfo.yaml); always 1",
                "cluster", "host", "node");
        info.labelValues(config.cluster().name(), local.of(config).host(), local.label()).set(1);
        phase = gauge("gpfo_agent_phase", "The agent's phase: 1 for the current one, 0 for the others", "phase");
        role = gauge("gpfo_role", "This host's database role: 1 for the current one, 0 for the others", "role");
        vipHeld = gauge("gpfo_vip_held", "1 while this host holds the VIP");
        peerReachable = gauge("gpfo_peer_reachable", "1 when the peer answered this heartbeat path in the last round",
                "protocol", "address", "port");
        failedRounds = gauge("gpfo_consecutive_failed_rounds", "Failed rounds in a row of the watched coordinator");
        lagBytes = Gauge.builder().name("gpfo_replication_lag_bytes").unit(Unit.BYTES)
                .help("The standby's replication lag as the primary reports it; NaN when unknown").withoutExemplars()
                .register(registry);
        replicationStreaming = gauge("gpfo_replication_streaming", "1 when the primary has a streaming standby");
        timeline = gauge("gpfo_timeline", "This host's database timeline; NaN when it does not answer");
        lastHealthyRound = Gauge.builder().name("gpfo_last_healthy_round_timestamp_seconds").unit(Unit.SECONDS)
                .help("When the watched coordinator last answered (Unix time); NaN before the first such round")
                .withoutExemplars().register(registry);
        lastRound = Gauge.builder().name("gpfo_last_round_timestamp_seconds").unit(Unit.SECONDS)
                .help("When the agent's last round ran (Unix time): a stuck agent stops moving it").withoutExemplars()
                .register(registry);
        paused = gauge("gpfo_paused", "1 while gpfo is paused (gpfo pause)");
        rounds = Counter.builder().name("gpfo_rounds_total").help("Rounds the agent has run").withoutExemplars()
                .register(registry);
        roundDuration = Histogram.builder().name("gpfo_round_duration_seconds").unit(Unit.SECONDS)
                .help("How long a round took, probes to last action").classicOnly()
                .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60).withoutExemplars().register(registry);
        promotions = Counter.builder().name("gpfo_promotions_total").help("Promotions this agent carried out, by result")
                .labelNames("result").withoutExemplars().register(registry);
        fences = Counter.builder().name("gpfo_fences_total")
                .help("Fences of an old coordinator that came back (fence-peer actions), by result").labelNames("result")
                .withoutExemplars().register(registry);
        alerts = Counter.builder().name("gpfo_alerts_total").help("Alerts the agent raised, by event key and severity")
                .labelNames("event", "severity").withoutExemplars().register(registry);
        // every series exists from the start, at 0, so that rate() and increase() see the first one
        for (String result : RESULTS) {
            promotions.labelValues(result);
            fences.labelValues(result);
        }
        for (Event event : Event.values()) {
            alerts.labelValues(event.key(), event.severity().label());
        }
        lastHealthyRound.set(Double.NaN);
        lagBytes.set(Double.NaN);
        timeline.set(Double.NaN);
        arbiter = config.arbiter().map(settings -> new ArbiterGauges(
                gauge("gpfo_arbiter_reach", "How etcd answered this agent's last round: 1 for the current one (answered,"
                        + " no_quorum, unreachable), 0 for the others", "reach"),
                gauge("gpfo_leader_key_held", "1 while the arbiter's leader key names this host"),
                Gauge.builder().name("gpfo_lease_remaining_seconds").unit(Unit.SECONDS)
                        .help("Until when this host's lease is known valid, from the last round; NaN when it holds none")
                        .withoutExemplars().register(registry)));
        arbiter.ifPresent(gauges -> gauges.leaseRemaining().set(Double.NaN));
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** One round's facts: sets every gauge, counts the round and its duration. */
    public void record(Agent.Snapshot snapshot) {
        Observation observation = snapshot.observation();
        Journal journal = snapshot.journal();
        rounds.inc();
        roundDuration.observe(snapshot.duration().toNanos() / 1e9);
        for (Phase each : Phase.values()) {
            phase.labelValues(each.label()).set(each == journal.phase() ? 1 : 0);
        }
        for (Role each : Role.values()) {
            role.labelValues(each.label()).set(each == observation.local().role() ? 1 : 0);
        }
        vipHeld.set(observation.vip().heldHere() ? 1 : 0);
        for (Observation.PathResult path : observation.peer().paths()) {
            peerReachable.labelValues(path.path().protocol().name().toLowerCase(java.util.Locale.ROOT), path.path().address(),
                    Integer.toString(path.path().port())).set(path.answered() ? 1 : 0);
        }
        failedRounds.set(journal.health().consecutiveFailures());
        ClusterStatus.Replication replication = HostStatus.of(config, local, snapshot).replication();
        lagBytes.set(replication.lagBytes().isPresent() ? replication.lagBytes().getAsLong() : Double.NaN);
        replicationStreaming.set(replication.state().equals("streaming") ? 1 : 0);
        OptionalInt localTimeline = observation.local().timeline();
        timeline.set(localTimeline.isPresent() ? localTimeline.getAsInt() : Double.NaN);
        lastHealthyRound.set(journal.health().lastHealthyAt().map(AgentMetrics::seconds).orElse(Double.NaN));
        lastRound.set(seconds(observation.at()));
        paused.set(observation.maintenance().pausedAt(observation.at()) ? 1 : 0);
        arbiter.ifPresent(gauges -> observation.arbiter().ifPresent(view -> {
            for (LeaderLease.Reach each : LeaderLease.Reach.values()) {
                gauges.reach().labelValues(each.name().toLowerCase(java.util.Locale.ROOT)).set(each == view.reach() ? 1 : 0);
            }
            gauges.leaderHeld().set(view.leaderIs(local.of(config).host()) ? 1 : 0);
            gauges.leaseRemaining().set(view.heldUntil().filter(until -> view.leaderIs(local.of(config).host()))
                    .map(until -> Math.max(0, seconds(until) - seconds(observation.at()))).orElse(Double.NaN));
        }));
    }

    /** One recorded event: alerts by key and severity, promotions and fences by result. */
    public void record(EventRecord event) {
        switch (event.kind()) {
            case ALERT -> alerts.labelValues(event.event(), event.severity()).inc();
            case ACTION -> {
                String result = event.result().map(EventRecord.Result::label).orElse(EventRecord.Result.FAILED.label());
                if (event.event().equals(PROMOTE)) {
                    promotions.labelValues(result).inc();
                } else if (event.event().equals(FENCE_PEER)) {
                    fences.labelValues(result).inc();
                }
            }
            case DECISION, COMMAND -> {
                // the decision's sentence and operator commands are in the event log, not counted
            }
        }
    }

    private Gauge gauge(String name, String help, String... labels) {
        return Gauge.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    private static double seconds(Instant at) {
        return at.getEpochSecond() + at.getNano() / 1e9;
    }
}
