package io.gpfo.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.agent.Agent;
import io.gpfo.arbiter.LeaderLease;
import io.gpfo.decision.Event;
import io.gpfo.decision.Observation;
import io.gpfo.history.EventRecord;
import io.gpfo.node.NodeName;
import io.gpfo.testing.TestCluster;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMetricsTest {

    @TempDir
    Path state;

    private AgentMetrics metrics() {
        return new AgentMetrics(TestCluster.onStandbyHost(state).config, NodeName.STANDBY);
    }

    private static Exposition scrape(AgentMetrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape(),
                io.prometheus.metrics.config.EscapingScheme.UNDERSCORE_ESCAPING);
        return Exposition.parse(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStandbyRoundThenAPromotionShowInTheMetrics() throws IOException {
        AgentMetrics metrics = metrics();
        metrics.record(Snapshots.standbyWatching(4096));
        metrics.record(Snapshots.standbyWatching(8192));

        Exposition standby = scrape(metrics);
        assertThat(standby.value("gpfo_agent_info", "cluster", "gptest", "host", "smdw", "node", "standby")).isEqualTo(1.0);
        assertThat(standby.value("gpfo_agent_phase", "phase", "watching")).isEqualTo(1.0);
        assertThat(standby.value("gpfo_agent_phase", "phase", "serving")).isEqualTo(0.0);
        assertThat(standby.value("gpfo_role", "role", "standby")).isEqualTo(1.0);
        assertThat(standby.value("gpfo_role", "role", "primary")).isEqualTo(0.0);
        assertThat(standby.value("gpfo_vip_held")).isEqualTo(0.0);
        assertThat(standby.value("gpfo_peer_reachable", "protocol", "icmp", "address", "mdw", "port", "0")).isEqualTo(1.0);
        assertThat(standby.value("gpfo_peer_reachable", "protocol", "tcp", "address", "mdw", "port", "5432")).isEqualTo(0.0);
        assertThat(standby.value("gpfo_consecutive_failed_rounds")).isEqualTo(0.0);
        assertThat(standby.value("gpfo_replication_lag_bytes")).isEqualTo(8192.0);
        assertThat(standby.value("gpfo_replication_streaming")).isEqualTo(1.0);
        assertThat(standby.value("gpfo_timeline")).isEqualTo(1.0);
        assertThat(standby.value("gpfo_rounds_total")).isEqualTo(2.0);
        assertThat(standby.value("gpfo_round_duration_seconds_count")).isEqualTo(2.0);
        assertThat(standby.value("gpfo_round_duration_seconds_sum")).isEqualTo(0.6);
        assertThat(standby.value("gpfo_round_duration_seconds_bucket", "le", "0.25")).isEqualTo(0.0);
        assertThat(standby.value("gpfo_round_duration_seconds_bucket", "le", "0.5")).isEqualTo(2.0);
        assertThat(standby.value("gpfo_last_healthy_round_timestamp_seconds")).isEqualTo(Snapshots.AT.getEpochSecond() * 1.0);
        assertThat(standby.value("gpfo_last_round_timestamp_seconds")).isEqualTo(Snapshots.AT.getEpochSecond() * 1.0);
        assertThat(standby.value("gpfo_paused")).isEqualTo(0.0);
        assertThat(standby.value("gpfo_promotions_total", "result", "ok")).isEqualTo(0.0);
        assertThat(standby.types()).containsEntry("gpfo_rounds_total", "counter").containsEntry("gpfo_round_duration_seconds", "histogram")
                .containsEntry("gpfo_replication_lag_bytes", "gauge");

        metrics.record(alert(Event.PROMOTING));
        metrics.record(new EventRecord(Snapshots.AT, "smdw", EventRecord.Kind.ACTION, "promote", "info", "done",
                Optional.of(EventRecord.Result.OK), Optional.empty()));
        metrics.record(Snapshots.promotedPrimary());

        Exposition promoted = scrape(metrics);
        assertThat(promoted.value("gpfo_agent_phase", "phase", "promoted")).isEqualTo(1.0);
        assertThat(promoted.value("gpfo_agent_phase", "phase", "watching")).isEqualTo(0.0);
        assertThat(promoted.value("gpfo_role", "role", "primary")).isEqualTo(1.0);
        assertThat(promoted.value("gpfo_vip_held")).isEqualTo(1.0);
        assertThat(promoted.value("gpfo_timeline")).isEqualTo(2.0);
        assertThat(promoted.value("gpfo_replication_streaming")).isEqualTo(0.0);
        assertThat(promoted.value("gpfo_replication_lag_bytes")).isNaN();
        assertThat(promoted.value("gpfo_promotions_total", "result", "ok")).isEqualTo(1.0);
        assertThat(promoted.value("gpfo_alerts_total", "event", "promoting", "severity", "emergency")).isEqualTo(1.0);
        assertThat(promoted.value("gpfo_rounds_total")).isEqualTo(3.0);
    }

    @Test
    void withAnArbiterTheReachTheKeyAndTheLeaseLeftAreGaugesAndWithoutOneTheyDoNotExist() throws IOException {
        AgentMetrics withArbiter = new AgentMetrics(TestCluster.onStandbyHost(state, java.util.Map.of("arbiter",
                "{endpoints: [http://sdw1:2379]}")).config, NodeName.STANDBY);
        assertThat(scrape(withArbiter).value("gpfo_lease_remaining_seconds")).isNaN();
        Agent.Snapshot promoted = Snapshots.promotedPrimary();
        Observation round = promoted.observation();
        withArbiter.record(new Agent.Snapshot(new Observation(round.at(), round.local(), round.peer(), round.deep(), round.vip(),
                round.maintenance(), Optional.of(new Observation.ArbiterView(LeaderLease.Reach.ANSWERED,
                        Optional.of(new LeaderLease.Leader("smdw", 5)), Optional.of(Snapshots.AT.plusSeconds(4)), Snapshots.AT,
                        Optional.empty(), Optional.empty(), ""))), promoted.journal(), promoted.outcome(), promoted.duration(), promoted.peerVip()));

        Exposition scraped = scrape(withArbiter);
        assertThat(scraped.value("gpfo_arbiter_reach", "reach", "answered")).isEqualTo(1.0);
        assertThat(scraped.value("gpfo_arbiter_reach", "reach", "no_quorum")).isEqualTo(0.0);
        assertThat(scraped.value("gpfo_leader_key_held")).isEqualTo(1.0);
        assertThat(scraped.value("gpfo_lease_remaining_seconds")).isEqualTo(4.0);
        assertThat(scrape(metrics()).types()).doesNotContainKeys("gpfo_arbiter_reach", "gpfo_leader_key_held",
                "gpfo_lease_remaining_seconds");
    }

    @Test
    void everyAlertAndResultSeriesExistsFromTheStart() throws IOException {
        Exposition fresh = scrape(metrics());

        for (Event event : Event.values()) {
            assertThat(fresh.value("gpfo_alerts_total", "event", event.key(), "severity", event.severity().label()))
                    .as(event.key()).isEqualTo(0.0);
        }
        assertThat(fresh.value("gpfo_fences_total", "result", "failed")).isEqualTo(0.0);
        assertThat(fresh.value("gpfo_last_healthy_round_timestamp_seconds")).isNaN();
    }

    @Test
    void fencesAreCountedByResultAndOtherEventsAreNot() throws IOException {
        AgentMetrics metrics = metrics();
        metrics.record(new EventRecord(Snapshots.AT, "mdw", EventRecord.Kind.ACTION, "fence-peer", "critical", "ssh failed",
                Optional.of(EventRecord.Result.FAILED), Optional.empty()));
        metrics.record(new EventRecord(Snapshots.AT, "mdw", EventRecord.Kind.ACTION, "vip-up", "info", "done",
                Optional.of(EventRecord.Result.OK), Optional.empty()));
        metrics.record(new EventRecord(Snapshots.AT, "mdw", EventRecord.Kind.DECISION, "serving", "info", "serving as primary",
                Optional.empty(), Optional.empty()));

        Exposition after = scrape(metrics);
        assertThat(after.value("gpfo_fences_total", "result", "failed")).isEqualTo(1.0);
        assertThat(after.value("gpfo_fences_total", "result", "ok")).isEqualTo(0.0);
        assertThat(after.value("gpfo_promotions_total", "result", "ok")).isEqualTo(0.0);
    }

    private static EventRecord alert(Event event) {
        return new EventRecord(Snapshots.AT, "smdw", EventRecord.Kind.ALERT, event.key(), event.severity().label(), "test",
                Optional.empty(), Optional.empty());
    }
}
