package io.gpfo.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.arbiter.ArbiterStatus;
import io.gpfo.arbiter.LeaderLease;
import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.node.NodeName;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.node.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    private static final GpfoConfig CONFIG;

    static {
        try {
            CONFIG = new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false).parse("""
                    cluster: {name: gpprod}
                    coordinator: {host: mdw}
                    standby: {host: smdw}
                    vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                    """, Path.of("gpfo.yaml"));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static NodeStatus node(NodeName name, String host, Role role, boolean vip, List<DatabaseStatus.Sender> senders) {
        Optional<DatabaseStatus> database = role == Role.PRIMARY || role == Role.STANDBY
                ? Optional.of(new DatabaseStatus(role == Role.STANDBY, 150018, OptionalInt.of(1), senders, Optional.empty()))
                : Optional.empty();
        return new NodeStatus(name, host, role != Role.UNKNOWN, role, Optional.of(vip), database, "");
    }

    private static final List<DatabaseStatus.Sender> STREAMING = List.of(new DatabaseStatus.Sender("gp_walreceiver", "streaming", "async", 128));

    @Test
    void healthyPair() {
        ClusterStatus status = ClusterSurvey.assemble(CONFIG, NodeName.STANDBY, List.of(
                node(NodeName.COORDINATOR, "mdw", Role.PRIMARY, true, STREAMING),
                node(NodeName.STANDBY, "smdw", Role.STANDBY, false, List.of())));

        assertThat(status.health()).isEqualTo(ClusterStatus.Health.OK);
        assertThat(status.actingPrimary()).isEqualTo("mdw");
        Map<NodeName, StatusReport.Agent> agents = Map.of(NodeName.COORDINATOR, new StatusReport.Agent("serving",
                "2026-01-01T00:00:00Z", null), NodeName.STANDBY, StatusReport.Agent.NONE);
        assertThat(StatusReport.jsonText(status, agents)).isEqualTo("{\"cluster\":\"gpprod\",\"local_host\":\"smdw\","
                + "\"observed_from\":\"smdw\","
                + "\"nodes\":[{\"name\":\"coordinator\",\"host\":\"mdw\",\"reachable\":true,\"role\":\"primary\",\"vip\":true,\"timeline\":1},"
                + "{\"name\":\"standby\",\"host\":\"smdw\",\"reachable\":true,\"role\":\"standby\",\"vip\":false,\"timeline\":1}],"
                + "\"vip\":{\"address\":\"10.77.0.100\",\"holders\":[\"mdw\"],\"state\":\"ok\"},"
                + "\"replication\":{\"state\":\"streaming\",\"lag_bytes\":128,\"lag\":\"128 B\"},"
                + "\"agent\":{\"phase\":\"none\",\"since\":null,\"last_event\":null},"
                + "\"agents\":{\"mdw\":{\"phase\":\"serving\",\"since\":\"2026-01-01T00:00:00Z\",\"last_event\":null},"
                + "\"smdw\":{\"phase\":\"none\",\"since\":null,\"last_event\":null}},\"health\":\"ok\"}");
        assertThat(StatusReport.table(status, agents)).containsExactly(
                "NODE         HOST             REACHABLE  ROLE     TL  VIP  DETAIL",
                "coordinator  mdw              yes        primary  1   yes  ",
                "standby*     smdw             yes        standby  1   no   ",
                "vip          10.77.0.100 on mdw (ok)",
                "replication  streaming, lag 128 bytes (128 B)",
                "agent        mdw: serving since 2026-01-01T00:00:00Z",
                "agent        smdw: none",
                "health       ok   (* = this host)");
    }

    private static ClusterStatus healthy() {
        return ClusterSurvey.assemble(CONFIG, NodeName.STANDBY, List.of(
                node(NodeName.COORDINATOR, "mdw", Role.PRIMARY, true, STREAMING),
                node(NodeName.STANDBY, "smdw", Role.STANDBY, false, List.of())));
    }

    private static ArbiterStatus arbiter(LeaderLease.Reach reach, Optional<LeaderLease.Leader> leader, String detail) {
        return new ArbiterStatus(List.of(java.net.URI.create("http://sdw1:2379")), "/gpfo/gpprod/leader", reach, leader,
                leader.isPresent() ? java.util.OptionalLong.of(4) : java.util.OptionalLong.empty(), detail);
    }

    @Test
    void theArbiterShowsTheKeyItsHolderAndLeaseAndKeepsAHealthyPairOkOnlyWhenTheKeyNamesThePrimary() {
        ClusterStatus status = healthy();
        Optional<ArbiterStatus> onPrimary = Optional.of(arbiter(LeaderLease.Reach.ANSWERED,
                Optional.of(new LeaderLease.Leader("mdw", 0x2a)), ""));

        assertThat(StatusReport.jsonText(status, Map.of(), onPrimary)).contains("\"arbiter\":{\"endpoints\":[\"http://sdw1:2379\"],"
                + "\"reach\":\"answered\",\"key\":\"/gpfo/gpprod/leader\",\"leader\":\"mdw\",\"lease\":\"2a\","
                + "\"ttl_left_seconds\":4},\"health\":\"ok\"}");
        assertThat(StatusReport.table(status, Map.of(), onPrimary)).contains(
                "arbiter      /gpfo/gpprod/leader = mdw, lease 2a, 4 s left");
        assertThat(StatusReport.health(status, onPrimary)).isEqualTo(ClusterStatus.Health.OK);
    }

    @Test
    void anArbiterWithoutAnswerOrWithAFreeOrMisplacedKeyMakesThePairDegraded() {
        ClusterStatus status = healthy();

        assertThat(StatusReport.health(status, Optional.of(arbiter(LeaderLease.Reach.NO_QUORUM, Optional.empty(),
                "sdw1:2379: no answer within 1000 ms")))).isEqualTo(ClusterStatus.Health.DEGRADED);
        assertThat(StatusReport.health(status, Optional.of(arbiter(LeaderLease.Reach.ANSWERED, Optional.empty(), ""))))
                .isEqualTo(ClusterStatus.Health.DEGRADED);
        assertThat(StatusReport.health(status, Optional.of(arbiter(LeaderLease.Reach.ANSWERED,
                Optional.of(new LeaderLease.Leader("smdw", 1)), "")))).isEqualTo(ClusterStatus.Health.DEGRADED);
        assertThat(StatusReport.table(status, Map.of(), Optional.of(arbiter(LeaderLease.Reach.UNREACHABLE, Optional.empty(),
                "sdw1:2379: cannot connect")))).contains("arbiter      etcd unreachable (sdw1:2379: cannot connect)",
                        "health       degraded   (* = this host)");
        assertThat(StatusReport.jsonText(status, Map.of(), Optional.of(arbiter(LeaderLease.Reach.ANSWERED, Optional.empty(), ""))))
                .contains("\"leader\":null");
    }

    @Test
    void theArbiterAsksTheKeyThenItsLeasesTimeToLive() {
        io.gpfo.arbiter.FakeLeaderLease lease = new io.gpfo.arbiter.FakeLeaderLease();
        lease.key = Optional.of(new LeaderLease.Leader("mdw", 7));
        GpfoConfig.Arbiter settings = new GpfoConfig.Arbiter(List.of(java.net.URI.create("http://sdw1:2379")), Optional.empty(),
                Optional.empty(), Optional.empty(), "/gpfo/gpprod/", java.time.Duration.ofSeconds(5));

        ArbiterStatus asked = ArbiterStatus.ask(settings, lease, java.time.Duration.ofSeconds(1));

        assertThat(asked.describe()).isEqualTo("/gpfo/gpprod/leader = mdw, lease 7, 5 s left");
        lease.key = Optional.empty();
        assertThat(ArbiterStatus.ask(settings, lease, java.time.Duration.ofSeconds(1)).describe())
                .isEqualTo("/gpfo/gpprod/leader is free: no coordinator holds the lease");
    }

    @Test
    void aVipHolderThatCouldNotBeAskedMakesTheVipUnknownAndThePairNotOk() {
        NodeStatus unasked = new NodeStatus(NodeName.STANDBY, "smdw", true, Role.STANDBY, Optional.empty(),
                Optional.of(new DatabaseStatus(true, 150018, OptionalInt.of(1), List.of(), Optional.empty())),
                "VIP unknown: the host key of smdw has CHANGED");
        ClusterStatus status = ClusterSurvey.assemble(CONFIG, NodeName.COORDINATOR, List.of(
                node(NodeName.COORDINATOR, "mdw", Role.PRIMARY, true, STREAMING), unasked));

        assertThat(status.vipState().label()).isEqualTo("unknown");
        assertThat(status.health()).isEqualTo(ClusterStatus.Health.DEGRADED);
        assertThat(StatusReport.json(status, StatusReport.Agent.NONE).at("/nodes/1/vip_known").asBoolean(true)).isFalse();
        assertThat(StatusReport.table(status, Map.of())).contains(
                "standby      smdw             yes        standby  1   ?    VIP unknown: the host key of smdw has CHANGED",
                "vip          10.77.0.100 on mdw or unknown: a host could not be asked (unknown)",
                "agent        smdw: unknown; last event: its journal could not be read");
    }

    @Test
    void observedFromAnotherHostNamesItAndMarksNoNodeAsLocal() {
        ClusterStatus status = ClusterSurvey.assemble(CONFIG, Optional.empty(), "sdw1", List.of(
                node(NodeName.COORDINATOR, "mdw", Role.PRIMARY, true, STREAMING),
                node(NodeName.STANDBY, "smdw", Role.STANDBY, false, List.of())));

        assertThat(status.localHost()).isNull();
        assertThat(status.health()).isEqualTo(ClusterStatus.Health.OK);
        var json = StatusReport.json(status, Map.of(NodeName.COORDINATOR, StatusReport.Agent.NONE));
        assertThat(json.get("observed_from").asText()).isEqualTo("sdw1");
        assertThat(json.get("local_host").isNull()).isTrue();
        assertThat(json.get("agent").isNull()).isTrue();
        assertThat(json.at("/agents/mdw/phase").asText()).isEqualTo("none");
        assertThat(StatusReport.table(status, Map.of())).contains("coordinator  mdw              yes        primary  1   yes  ",
                "health       ok   (observed from sdw1, not a coordinator host)");
    }

    @ParameterizedTest
    @CsvSource({"0,0 B", "1023,1023 B", "1536,1.5 KiB", "16777216,16.0 MiB", "2469606195,2.3 GiB"})
    void lagInHumanUnits(long bytes, String human) {
        assertThat(StatusReport.humanBytes(bytes)).isEqualTo(human);
    }

    @Test
    void coordinatorDownIsDegradedWithTheVipOnNoPrimary() {
        ClusterStatus status = ClusterSurvey.assemble(CONFIG, NodeName.STANDBY, List.of(
                node(NodeName.COORDINATOR, "mdw", Role.UNKNOWN, false, List.of()),
                node(NodeName.STANDBY, "smdw", Role.STANDBY, false, List.of())));

        assertThat(status.health()).isEqualTo(ClusterStatus.Health.DEGRADED);
        assertThat(status.vipState().label()).isEqualTo("none");
        assertThat(status.replication().state()).isEqualTo("unknown");
    }

    @Test
    void twoPrimariesOrTwoVipsAreCritical() {
        ClusterStatus twoPrimaries = ClusterSurvey.assemble(CONFIG, NodeName.COORDINATOR, List.of(
                node(NodeName.COORDINATOR, "mdw", Role.PRIMARY, true, List.of()),
                node(NodeName.STANDBY, "smdw", Role.PRIMARY, false, List.of())));
        ClusterStatus twoVips = ClusterSurvey.assemble(CONFIG, NodeName.COORDINATOR, List.of(
                node(NodeName.COORDINATOR, "mdw", Role.PRIMARY, true, STREAMING),
                node(NodeName.STANDBY, "smdw", Role.STANDBY, true, List.of())));

        assertThat(twoPrimaries.health()).isEqualTo(ClusterStatus.Health.CRITICAL);
        assertThat(twoPrimaries.actingPrimary()).isNull();
        assertThat(twoPrimaries.vipState().label()).isEqualTo("wrong_holder");
        assertThat(twoVips.health()).isEqualTo(ClusterStatus.Health.CRITICAL);
        assertThat(twoVips.vipState().label()).isEqualTo("both");
    }

    @Test
    void primaryWithoutStandbyIsDisconnected() {
        ClusterStatus status = ClusterSurvey.assemble(CONFIG, NodeName.COORDINATOR, List.of(
                node(NodeName.COORDINATOR, "mdw", Role.PRIMARY, true, List.of()),
                node(NodeName.STANDBY, "smdw", Role.DOWN, false, List.of())));

        assertThat(status.replication().state()).isEqualTo("disconnected");
        assertThat(status.health()).isEqualTo(ClusterStatus.Health.DEGRADED);
        assertThat(StatusReport.json(status, StatusReport.Agent.NONE).at("/replication/lag_bytes").isNull()).isTrue();
    }
}
