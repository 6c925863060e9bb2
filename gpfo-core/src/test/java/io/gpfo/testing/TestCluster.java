package io.gpfo.testing;

import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.greenplum.AdminCommands;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.vip.VipCommands;
import io.gpfo.vip.VipControl;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The pair as the unit tests see it from the standby host smdw (the coordinator is mdw): its
 * configuration, and every port wired to a fake, answering like a healthy network until a test
 * says otherwise: the VIP commands work here, the peer's VIP listing is empty, pings answer,
 * nobody answers ARP for the VIP.
 */
public final class TestCluster {

    public static final String LOCAL = "smdw";
    public static final String PEER = "mdw";
    public static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

    /** Command fragments, as {@link FakeShell} matches them. */
    public static final String IP_SHOW = "/usr/sbin/ip -o -4 addr show";
    public static final String IP_ADD = "/usr/sbin/ip addr add";
    public static final String IP_DEL = "/usr/sbin/ip addr del";
    public static final String ARP_ANNOUNCE = "/usr/sbin/arping -U";
    public static final String ARP_PROBE = "/usr/sbin/arping -D";
    public static final String PING = "ping -n -q -c 1";
    public static final String INSPECT = "<script> inspect ";
    public static final String FENCE = "<script> fence ";
    public static final String WITNESS = "<script> witness ";
    public static final String ACTIVATE = "gpactivatestandby";

    /** A standby that has received WAL (not streaming now): promotable. */
    public static final DatabaseStatus STANDBY = new DatabaseStatus(true, 150018, OptionalInt.of(1), List.of(),
            Optional.of(new DatabaseStatus.Receiver(Optional.of("0/3000000"), Optional.of("0/3000000"), OptionalLong.of(0),
                    Optional.empty(), OptionalDouble.empty())));
    public static final DatabaseStatus PRIMARY = new DatabaseStatus(false, 150018, OptionalInt.of(1), List.of(), Optional.empty());

    /** What inspect.sh prints for a coordinator that died without a shutdown. */
    public static final String CRASHED = """
            postmaster=not-running
            --- pg_controldata
            Database cluster state:               in production
            Latest checkpoint's TimeLineID:       1
            """;
    /** What fence.sh prints when no postmaster ran. */
    public static final String NOTHING_TO_FENCE = "fence=not-running\n";
    public static final String IP_WITH_VIP = "2: eth0    inet 10.77.0.100/24 scope global secondary eth0:0\\       valid_lft forever\n";

    public final GpfoConfig config;
    public final FakeShell shell = new FakeShell(LOCAL);
    public final FakeSql sql = new FakeSql();
    public final FakeClock clock = new FakeClock(START);
    public final FakeHostAddresses addresses;
    /** When the VIP's background gratuitous ARP repeats go out: when a test runs them. */
    public final ManualScheduler arpRepeats = new ManualScheduler();
    public final NodeAccess access;
    public final VipControl vip;

    private TestCluster(GpfoConfig config) {
        this.config = config;
        this.addresses = new FakeHostAddresses(config.vip());
        this.access = new NodeAccess(config, NodeName.STANDBY, shell.local(), shell, new AdminCommands(config.greenplum(), false,
                config.greenplum().adminUser()));
        this.vip = new VipControl(VipCommands.standard(config.vip()), shell.local(), shell, addresses, arpRepeats);
        shell.on(LOCAL, IP_ADD, argv -> {
            addresses.holdVip(true);
            return FakeShell.ok("");
        }).on(LOCAL, IP_DEL, argv -> {
            addresses.holdVip(false);
            return FakeShell.ok("");
        }).answer(LOCAL, ARP_ANNOUNCE, FakeShell.ok("Sent 3 probes (3 broadcast(s))\n"))
                .answer(LOCAL, ARP_PROBE, FakeShell.ok("Sent 1 probes (1 broadcast(s))\nReceived 0 response(s)\n"))
                .answer(LOCAL, PING, FakeShell.ok(""))
                .answer(PEER, IP_SHOW, FakeShell.ok(""));
    }

    /**
     * @param stateDirectory the agent's state directory (a temporary one)
     * @param sections       gpfo.yaml sections replacing the defaults here, e.g. {@code heartbeat -> "{timeout: 200ms}"}
     */
    public static TestCluster onStandbyHost(Path stateDirectory, Map<String, String> sections) {
        Map<String, String> yaml = new LinkedHashMap<>();
        yaml.put("cluster", "{name: gptest}");
        yaml.put("coordinator", "{host: " + PEER + "}");
        yaml.put("standby", "{host: " + LOCAL + "}");
        yaml.put("greenplum", "{version: 7}");
        yaml.put("vip", "{address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}");
        yaml.put("heartbeat", "{interval: 1s, timeout: 1s, failure_threshold: 3}");
        yaml.put("alerts", "{syslog: false, wall: false}");
        yaml.put("state", "{directory: '" + stateDirectory + "'}");
        yaml.putAll(sections);
        StringBuilder text = new StringBuilder();
        yaml.forEach((section, value) -> text.append(section).append(": ").append(value).append('\n'));
        try {
            return new TestCluster(new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false).parse(text.toString(),
                    Path.of("gpfo.yaml")));
        } catch (Exception e) {
            throw new AssertionError("test configuration rejected: " + e.getMessage(), e);
        }
    }

    public static TestCluster onStandbyHost(Path stateDirectory) {
        return onStandbyHost(stateDirectory, Map.of());
    }

    /** The old coordinator is down, its host reachable over SSH: it crashed, and fencing it finds nothing running. */
    public TestCluster coordinatorCrashed() {
        sql.answers(LOCAL, STANDBY).down(PEER);
        shell.answer(PEER, INSPECT, FakeShell.ok(CRASHED)).answer(PEER, FENCE, FakeShell.ok(NOTHING_TO_FENCE));
        return this;
    }
}
