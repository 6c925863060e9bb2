package io.gpfo.cli;

import static io.gpfo.testing.TestCluster.IP_WITH_VIP;
import static io.gpfo.testing.TestCluster.START;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpfo.config.ConfigLoader;
import io.gpfo.port.Executables;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.testing.FakeClock;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.FakeSql;
import io.gpfo.vip.InterfaceAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpfo status and vip status: from a coordinator host and from a host that is neither (an observer,
 * every question over SSH); a fact that could not be established is unknown, never ok; --json always
 * prints one object.
 */
class StatusCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IP_SHOW = "-o -4 addr show";
    private static final String JOURNAL = " journal ";
    private static final String SDW1 = "10.77.0.21";
    private static final DatabaseStatus PRIMARY_STREAMING = new DatabaseStatus(false, 150018, OptionalInt.of(1),
            List.of(new DatabaseStatus.Sender("gp_walreceiver", "streaming", "sync", 3 << 20)), Optional.empty());
    private static final DatabaseStatus STANDBY = new DatabaseStatus(true, 150018, OptionalInt.of(1), List.of(), Optional.empty());
    private static final String JOURNAL_SERVING = """
            {"phase":"serving","since":"2026-01-01T00:00:00Z"}
            """;

    @TempDir
    Path dir;

    private Path config;
    private FakeShell shell;
    private final FakeSql sql = new FakeSql();
    private String out;
    private String err;

    @BeforeEach
    void configure() throws IOException {
        config = dir.resolve("gpfo.yaml");
        PairConfig.write(config, dir.resolve("state"));
        sql.answers("mdw", PRIMARY_STREAMING).answers("smdw", STANDBY);
    }

    /** Runs gpfo on the host with {@code address}: 10.77.0.11 is mdw, 10.77.0.12 smdw, anything else an observer. */
    private int gpfo(String address, String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        Services services = new Services(shell.local(), new FakeClock(START), Map.of("GPFO_CONFIG", config.toString()),
                new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false), new Executables(List.of(dir.resolve("bin"))),
                c -> shell, c -> sql,
                host -> host.equals("mdw") ? List.of("10.77.0.11") : host.equals("smdw") ? List.of("10.77.0.12") : List.of(),
                () -> List.of(new InterfaceAddress("eth0", address, 24, "eth0")), "gpadmin", false, Optional.empty(),
                root -> { throw new AssertionError("the distribution tree is read only by install"); });
        int status = Gpfo.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true), services).execute(args);
        out = stdout.toString();
        err = stderr.toString();
        return status;
    }

    /** A healthy pair seen from sdw1: mdw holds the VIP, both agents have journals. */
    private void observedFromSdw1() {
        shell = new FakeShell("sdw1");
        shell.answer("mdw", IP_SHOW, FakeShell.ok(IP_WITH_VIP)).answer("smdw", IP_SHOW, FakeShell.ok(""))
                .answer("mdw", JOURNAL, FakeShell.ok(JOURNAL_SERVING)).answer("smdw", JOURNAL, FakeShell.ok(""));
    }

    @Test
    void fromAHostThatIsNeitherCoordinatorEveryFactIsAskedOverSshAndTheObserverIsNamed() throws IOException {
        observedFromSdw1();

        assertThat(gpfo(SDW1, "status", "--json")).as(err).isZero();

        JsonNode json = JSON.readTree(out);
        assertThat(json.get("local_host").isNull()).isTrue();
        assertThat(json.get("observed_from").asText()).isNotBlank();
        assertThat(json.at("/vip/state").asText()).isEqualTo("ok");
        assertThat(json.at("/replication/lag").asText()).isEqualTo("3.0 MiB");
        assertThat(json.at("/agents/mdw/phase").asText()).isEqualTo("serving");
        assertThat(json.at("/agents/smdw/phase").asText()).isEqualTo("none");
        assertThat(json.get("health").asText()).isEqualTo("ok");
        assertThat(shell.calls(IP_SHOW)).extracting(call -> call.substring(0, call.indexOf(':')))
                .containsExactlyInAnyOrder("mdw", "smdw");
    }

    @Test
    void theObserversTableSaysWhereItWasObservedFromWithTimelinesLagAndBothAgents() {
        observedFromSdw1();

        assertThat(gpfo(SDW1, "status")).as(err).isZero();

        assertThat(out).contains("coordinator  mdw              yes        primary  1   yes")
                .contains("replication  streaming, lag 3145728 bytes (3.0 MiB)")
                .contains("agent        mdw: serving since 2026-01-01T00:00:00Z").contains("agent        smdw: none")
                .contains("(observed from ").contains("not a coordinator host)")
                .contains("recent events: 'gpfo history' shows both hosts'");
    }

    @Test
    void aChangedHostKeyOnTheStandbyMakesTheVipUnknownWithTheFixAndTheStatusNotOk() throws IOException {
        shell = new FakeShell("mdw");
        shell.hostKeyChanged("smdw");

        assertThat(gpfo("10.77.0.11", "status", "--json")).isEqualTo(ExitCode.UNHEALTHY);
        JsonNode json = JSON.readTree(out);
        assertThat(json.at("/vip/state").asText()).isEqualTo("unknown");
        assertThat(json.at("/nodes/1/vip_known").asBoolean(true)).isFalse();
        assertThat(json.at("/nodes/1/detail").asText()).contains("the host key of smdw has CHANGED");
        assertThat(json.at("/agents/smdw/phase").asText()).isEqualTo("unknown");
        assertThat(json.get("health").asText()).isEqualTo("degraded");

        assertThat(gpfo("10.77.0.11", "vip", "status")).isEqualTo(ExitCode.UNHEALTHY);
        assertThat(out).startsWith("unknown  10.77.0.100 held by no host; acting primary mdw; smdw could not be asked:")
                .contains("has CHANGED");
    }

    @Test
    void statusJsonThatCannotCompleteStillPrintsOneJsonObjectWithTheError() throws IOException {
        shell = new FakeShell("sdw1");
        Files.writeString(config, "coordinator: {host: mdw\n");

        assertThat(gpfo(SDW1, "status", "--json")).isEqualTo(ExitCode.USAGE);

        JsonNode json = JSON.readTree(out);
        assertThat(out.strip().lines()).hasSize(1);
        assertThat(json.get("error").asText()).isNotBlank();
        assertThat(json.get("health").asText()).isEqualTo("unknown");
    }

    @Test
    void aCommandLineRefusedWithJsonAskedForStillGivesOneJsonObject() throws IOException {
        shell = new FakeShell("sdw1");
        assertThat(gpfo(SDW1, "status", "--json", "--count", "abc")).isEqualTo(ExitCode.USAGE);

        assertThat(out.strip().lines()).hasSize(1);
        assertThat(JSON.readTree(out).get("error").asText()).contains("--count").contains("abc");
        assertThat(err).contains("--count");

        assertThat(gpfo(SDW1, "history", "--json", "--limit")).isEqualTo(ExitCode.USAGE);
        assertThat(JSON.readTree(out).get("error").asText()).contains("--limit");

        assertThat(gpfo(SDW1, "status", "--count", "abc")).as("no JSON unless asked for").isEqualTo(ExitCode.USAGE);
        assertThat(out).isEmpty();
    }

    @Test
    void watchRefreshesAReadOnlyViewAndStopsAfterCount() {
        observedFromSdw1();

        assertThat(gpfo(SDW1, "status", "--watch", "--interval", "1s", "--count", "2")).as(err).isZero();

        assertThat(out.lines().filter(line -> line.startsWith("gpfo status --watch: every 1s"))).hasSize(2);
        assertThat(shell.calls()).allSatisfy(call -> assertThat(call).containsAnyOf(IP_SHOW, JOURNAL));
        assertThat(gpfo(SDW1, "status", "--watch", "--interval", "0s")).isEqualTo(ExitCode.USAGE);
        assertThat(err).contains("--interval '0s' is not a positive duration");
    }

    @Test
    void historyFromAnObserverReadsBothHostsLogsOverSsh() {
        observedFromSdw1();
        shell.answer("mdw", " history ", FakeShell.ok("")).answer("smdw", " history ", FakeShell.ok(""));

        assertThat(gpfo(SDW1, "history")).as(err).isZero();
        assertThat(shell.calls(" history ")).hasSize(2);
    }

    @Test
    void historyShowsThePeersEventsWithoutControlCharacters() throws IOException {
        observedFromSdw1();
        // JSON escapes of ESC and BEL, and raw C1 CSI and a bidi override, as a peer's events.jsonl may hold them
        String hostile = "{\"at\":\"2026-11-30T10:00:00Z\",\"host\":\"mdw\",\"kind\":\"alert\",\"event\":\"promoting\","
                + "\"severity\":\"emergency\",\"message\":\"\\u001b]0;pwned\\u0007 \u009b2J \\n\u202eevil\"}\n";
        shell.answer("mdw", " history ", FakeShell.ok(hostile)).answer("smdw", " history ", FakeShell.ok(""));

        assertThat(gpfo(SDW1, "history")).as(err).isZero();
        assertThat(out.strip()).endsWith("emergency ?]0;pwned? ?2J  evil").doesNotContain("\u001b", "\u0007", "\u009b", "\u202e");

        assertThat(gpfo(SDW1, "history", "--json")).as(err).isZero();
        assertThat(out).doesNotContain("\u001b", "\u0007", "\u009b", "\u202e");
        assertThat(JSON.readTree(out).get("events").get(0).get("message").asText()).isEqualTo("\u001b]0;pwned\u0007 \u009b2J \n\u202eevil");
    }
}
