package io.gpfo.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.alert.Alerter;
import io.gpfo.config.ConfigKeys;
import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Alert;
import io.gpfo.decision.Event;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.ssh.SshException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The environment the {@code alerts.command} hook gets is documented everywhere a hook's author looks:
 * gpfo.yaml(5), etc/gpfo.yaml.example and the key's rule in {@link ConfigKeys} (which gpfo.yaml(5) is
 * generated from). The names come from what {@link Alerter} really passes, so a variable added there
 * fails here until it is documented.
 */
class AlertHookDocsTest {

    private static Set<String> hookEnvironment() throws Exception {
        GpfoConfig config = new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false).parse("""
                cluster: {name: gpprod}
                coordinator: {host: mdw}
                standby: {host: smdw}
                vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                alerts: {syslog: false, wall: false, command: 'notify-oncall'}
                """, Path.of("gpfo.yaml"));
        List<Command> ran = Collections.synchronizedList(new ArrayList<>());
        Alerter alerter = new Alerter(config, command -> {
            ran.add(command);
            return new CommandResult(0, "", "", false, Duration.ZERO);
        }, new PrintWriter(Writer.nullWriter()), "smdw", (host, argv, timeout) -> {
            throw new SshException(SshException.Kind.UNREACHABLE, host, "no peer in this test", null);
        }, "mdw");
        alerter.send(Instant.parse("2024-01-01T00:00:00Z"), new Alert(Event.PROMOTING, "promoting smdw"));
        alerter.close(); // waits for the delivery thread

        assertThat(ran).as("the hook ran once").hasSize(1);
        assertThat(ran.get(0).argv()).containsExactly("/bin/sh", "-c", "notify-oncall");
        return new TreeSet<>(ran.get(0).environment().keySet());
    }

    @Test
    void everyVariableTheHookGetsIsDocumented() throws Exception {
        Set<String> names = hookEnvironment();
        String manPage = Docs.configPage();
        String example = Files.readString(Path.of("..", "etc", "gpfo.yaml.example"));
        String rule = ConfigKeys.KEYS.stream().filter(key -> key.path().equals("alerts.command")).findFirst()
                .orElseThrow().rule();

        assertThat(names).contains("GPFO_EVENT", "GPFO_SEVERITY", "GPFO_MESSAGE", "GPFO_CLUSTER", "GPFO_HOST");
        assertThat(names).allSatisfy(name -> {
            assertThat(rule).as("ConfigKeys' rule for alerts.command").contains(name);
            assertThat(manPage).as("gpfo.yaml(5)").contains(name);
            assertThat(example).as("etc/gpfo.yaml.example").contains(name);
        });
    }
}
