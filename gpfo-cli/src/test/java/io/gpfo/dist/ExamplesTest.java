package io.gpfo.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.api.AgentMetrics;
import io.gpfo.node.NodeName;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.Executables;
import io.gpfo.port.ProcessRunner;
import io.gpfo.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etc/'s Prometheus rules and HAProxy config, checked by the real tools (scripts/prereqs installs
 * Debian's prometheus and haproxy packages; a missing tool fails here, it is not skipped).
 */
class ExamplesTest {

    private static final Path ETC = Path.of("..", "etc");
    private static final Executables TOOLS = Executables.fromPath(System.getenv("PATH") + ":/usr/sbin:/sbin");

    private static CommandResult run(String tool, String debianPackage, String... arguments) {
        Path executable = TOOLS.find(tool).orElseThrow(() -> new AssertionError(tool + " is not installed: scripts/prereqs"
                + " installs it (Debian package " + debianPackage + ")"));
        List<String> argv = new java.util.ArrayList<>(List.of(executable.toString()));
        argv.addAll(List.of(arguments));
        return new ProcessRunner().run(new Command(argv, Map.of(), null, Duration.ofSeconds(60)));
    }

    @Test
    void promtoolAcceptsTheAlertingRules() {
        CommandResult checked = run("promtool", "prometheus", "check", "rules", ETC.resolve("gpfo-alerts.rules.yml").toString());

        assertThat(checked.exitCode()).as(checked.stdout() + checked.stderr()).isZero();
        assertThat(checked.stdout()).contains("SUCCESS: 9 rules found");
    }

    @Test
    void theRulesNameOnlyMetricsTheAgentExports(@TempDir Path state) throws IOException {
        Set<String> exported = new TreeSet<>();
        new AgentMetrics(TestCluster.onStandbyHost(state).config, NodeName.STANDBY).registry().scrape()
                .forEach(metric -> exported.add(metric.getMetadata().getPrometheusName()));
        Matcher used = Pattern.compile("gpfo_[a-z_]+").matcher(Files.readString(ETC.resolve("gpfo-alerts.rules.yml")));
        Set<String> names = new TreeSet<>();
        while (used.find()) {
            names.add(used.group());
        }

        assertThat(names).isNotEmpty();
        assertThat(exported).containsAll(names);
    }

    @Test
    void haproxyAcceptsTheExampleConfig() {
        CommandResult checked = run("haproxy", "haproxy", "-c", "-f", ETC.resolve("haproxy.cfg.example").toString());

        assertThat(checked.exitCode()).as(checked.stdout() + checked.stderr()).isZero();
        assertThat(checked.stdout() + checked.stderr()).contains("Configuration file is valid");
    }

    @Test
    void haproxyRoutesByTheAgentsPrimaryCheck() throws IOException {
        String config = Files.readString(ETC.resolve("haproxy.cfg.example"));

        assertThat(config).contains("option httpchk GET /primary", "http-check expect status 200")
                .containsPattern("server mdw \\S+:5432 check port 9188").containsPattern("server smdw \\S+:5432 check port 9188");
    }
}
