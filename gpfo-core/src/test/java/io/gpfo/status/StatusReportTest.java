package io.gpfo.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.node.NodeName;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.node.Role;
import java.nio.file.Path;
import java.util.List;
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
        assertThat(StatusReport.jsonText(status, StatusReport.Agent.NONE)).isEqualTo("{\"cluster\":\"gpprod\",\"local_host\":\"smdw\","
                + "\"nodes\":[{\"name\":\"coordinator\",\"host\":\"mdw\",\"reachable\":true,\"role\":\"primary\",\"vip\":true,\"timeline\":1},"
                + "{\"name\":\"standby\",\"host\":\"smdw\",\"reachable\":true,\"role\":\"standby\",\"vip\":false,\"timeline\":1}],"
                + "\"vip\":{\"address\":\"10.77.0.100\",\"holders\":[\"mdw\"],\"state\":\"ok\"},"
                + "\"replication\":{\"state\":\"streaming\",\"lag_bytes\":128},"
                + "\"agent\":{\"phase\":\"none\",\"since\":null,\"last_event\":null},\"health\":\"ok\"}");
        assertThat(StatusReport.table(status, StatusReport.Agent.NONE)).containsExactly(
                "NODE         HOST             REACHABLE  ROLE     VIP  DETAIL",
                "coordinator  mdw              yes        primary  yes  ",
                "standby*     smdw             yes        standby  no   ",
                "vip          10.77.0.100 on mdw (ok)",
                "replication  streaming, lag 128 bytes",
                "agent        none",
                "health       ok   (* = this host)");
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
