package io.gpfo.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Alert;
import io.gpfo.decision.Event;
import io.gpfo.decision.Alert.Severity;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.FakeCommandRunner;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.ssh.SshException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlerterTest {

    private static final RemoteShell NO_PEER = (host, argv, timeout) -> {
        throw new SshException(SshException.Kind.UNREACHABLE, host, "no peer in this test", null);
    };

    /** One operator logged in on a terminal that takes messages: wall reaches someone. */
    private static final Terminals SOMEONE = () -> List.of(new Terminals.Terminal("pts/0", "ops", true));

    private static List<Command> commands(Alerter alerter, Alert alert) {
        return alerter.deliveries(alert).stream().map(Alerter.Delivery::command).toList();
    }

    private static Alerter alerter(String alerts, FakeCommandRunner runner, StringWriter log, RemoteShell peer, Terminals terminals)
            throws Exception {
        return new Alerter(config(alerts), runner, new PrintWriter(log), "smdw", peer, "mdw", LogLevelPrefix.NONE, terminals);
    }

    private static GpfoConfig config(String alerts) throws Exception {
        return new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false).parse("""
                cluster: {name: gpprod}
                coordinator: {host: mdw}
                standby: {host: smdw}
                vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                alerts: %s
                """.formatted(alerts), Path.of("gpfo.yaml"));
    }

    @Test
    void emergencyGoesToSyslogAsEmergWallAndTheHook() throws Exception {
        Alerter alerter = new Alerter(config("{command: 'notify-oncall --now'}"), new FakeCommandRunner(),
                new PrintWriter(new StringWriter()), "smdw", NO_PEER, "mdw");

        List<Command> commands = commands(alerter, new Alert(Event.PROMOTING, "promoting smdw"));

        assertThat(commands).extracting(Command::display).containsExactly(
                "logger -t gpfo -p user.emerg -- gpfo gpprod on smdw: promoting smdw",
                "wall gpfo gpprod on smdw: promoting smdw",
                "/bin/sh -c notify-oncall --now");
        assertThat(commands.get(2).environment()).containsEntry("GPFO_EVENT", "promoting").containsEntry("GPFO_SEVERITY", "emergency")
                .containsEntry("GPFO_MESSAGE", "promoting smdw").containsEntry("GPFO_CLUSTER", "gpprod");
    }

    @Test
    void infoOnlyReachesTheLogAndTheHookAndSwitchesAreHonoured() throws Exception {
        Alerter quiet = new Alerter(config("{syslog: false, wall: false}"), new FakeCommandRunner(),
                new PrintWriter(new StringWriter()), "mdw", NO_PEER, "smdw");
        assertThat(commands(quiet, new Alert(Event.VIP_NONE, "no VIP"))).isEmpty();

        Alerter loud = new Alerter(config("{}"), new FakeCommandRunner(), new PrintWriter(new StringWriter()), "mdw", NO_PEER, "smdw");
        assertThat(commands(loud, new Alert(Event.ROLE_CHANGE, "standby now"))).isEmpty();
        assertThat(commands(loud, new Alert(Event.COORDINATOR_SUSPECT, "y")).get(0).argv()).contains("user.warning");
        assertThat(Alerter.syslogLevel(Severity.CRITICAL)).isEqualTo("crit");
    }

    @Test
    void wallAlsoReachesThePeerOverSshAndAFailureThereIsLogged() throws Exception {
        List<String> peerCommands = new ArrayList<>();
        RemoteShell peer = (host, argv, timeout) -> {
            peerCommands.add(host + ": " + String.join(" ", argv));
            return new CommandResult(1, "", "wall: cannot get tty name", false, Duration.ZERO);
        };
        StringWriter log = new StringWriter();
        Alerter alerter = alerter("{syslog: false}", new FakeCommandRunner().answer("wall gpfo gpprod on smdw: VIP on both", 0, ""), log,
                peer, SOMEONE);

        alerter.send(Instant.parse("2026-11-25T12:00:00Z"), new Alert(Event.COORDINATOR_BACK, "mdw answers"));
        alerter.send(Instant.parse("2026-11-25T12:00:01Z"), new Alert(Event.VIP_BOTH, "VIP on both"));
        alerter.close();

        assertThat(peerCommands).containsExactly("mdw: wall gpfo gpprod on smdw: VIP on both");
        assertThat(log.toString()).contains("WARNING alert-delivery: wall on mdw failed");
        Alerter quiet = new Alerter(config("{wall: false}"), new FakeCommandRunner(), new PrintWriter(log), "smdw", peer, "mdw");
        assertThat(quiet.peerWall(new Alert(Event.PROMOTING, "promoting smdw"))).isEmpty();
    }

    @Test
    void everyEventIsOneLogLine() throws Exception {
        StringWriter log = new StringWriter();
        Alerter alerter = new Alerter(config("{syslog: false, wall: false}"), new FakeCommandRunner(), new PrintWriter(log), "mdw", NO_PEER,
                "smdw");

        alerter.send(Instant.parse("2026-11-25T12:00:00Z"), new Alert(Event.COORDINATOR_SUSPECT, "mdw silent"));
        alerter.close();

        assertThat(log.toString()).isEqualTo("2026-11-25T12:00:00Z WARNING coordinator-suspect: mdw silent\n");
    }

    @Test
    void underTheJournalTheLogLineCarriesTheAlertsPriority() throws Exception {
        StringWriter log = new StringWriter();
        Alerter alerter = new Alerter(config("{syslog: false, wall: false}"), new FakeCommandRunner(), new PrintWriter(log), "mdw",
                NO_PEER, "smdw", LogLevelPrefix.SD_DAEMON, SOMEONE);

        alerter.send(Instant.parse("2026-11-25T12:00:00Z"), new Alert(Event.COORDINATOR_SUSPECT, "mdw silent"));
        alerter.send(Instant.parse("2026-11-25T12:00:01Z"), new Alert(Event.PROMOTING, "promoting smdw"));
        alerter.close();

        assertThat(log.toString().lines()).containsExactly(
                "<4>2026-11-25T12:00:00Z WARNING coordinator-suspect: mdw silent",
                "<0>2026-11-25T12:00:01Z EMERGENCY promoting: promoting smdw");
    }

    @Test
    void underTheJournalTheLogLineIsTheSyslogEntrySoLoggerIsNotRun() throws Exception {
        Alerter alerter = new Alerter(config("{}"), new FakeCommandRunner(), new PrintWriter(new StringWriter()), "smdw", NO_PEER,
                "mdw", LogLevelPrefix.SD_DAEMON, SOMEONE);

        assertThat(commands(alerter, new Alert(Event.PROMOTING, "promoting smdw"))).extracting(Command::display)
                .containsExactly("wall gpfo gpprod on smdw: promoting smdw");
    }

    @Test
    void whenNoLoggedInTerminalTakesMessagesWallIsNotRunAndThatIsSaidOnce() throws Exception {
        StringWriter log = new StringWriter();
        FakeCommandRunner runner = new FakeCommandRunner();
        Terminals refusing = () -> List.of(new Terminals.Terminal("pts/0", "ops", false), new Terminals.Terminal("pts/1", "dba", false));
        Alerter alerter = alerter("{syslog: false}", runner, log, NO_PEER, refusing);

        alerter.send(Instant.parse("2026-11-25T12:00:00Z"), new Alert(Event.COORDINATOR_SUSPECT, "mdw silent"));
        alerter.send(Instant.parse("2026-11-25T12:00:01Z"), new Alert(Event.PROMOTING, "promoting smdw"));
        alerter.close();

        assertThat(runner.commands()).noneMatch(command -> command.argv().get(0).equals("wall"));
        assertThat(log.toString().lines().filter(line -> line.contains("alert-delivery: wall on smdw reaches nobody")))
                .as("said once").singleElement().asString()
                .contains("2 terminal(s) logged in (ops on pts/0, dba on pts/1), none takes messages from gpfo");
    }

    @Test
    void aMissingLoggerIsSaidOnceAndAgainOnlyAfterItWorkedInBetween() throws Exception {
        StringWriter log = new StringWriter();
        FakeCommandRunner runner = new FakeCommandRunner().answer("logger -t gpfo -p user.warning -- gpfo gpprod on smdw: one", 127,
                "logger: not found").answer("logger -t gpfo -p user.warning -- gpfo gpprod on smdw: two", 127, "logger: not found")
                .answer("logger -t gpfo -p user.warning -- gpfo gpprod on smdw: three", 0, "")
                .answer("logger -t gpfo -p user.warning -- gpfo gpprod on smdw: four", 127, "logger: not found");
        Alerter alerter = alerter("{wall: false}", runner, log, NO_PEER, SOMEONE);

        for (String message : List.of("one", "two", "three", "four")) {
            alerter.send(Instant.parse("2026-11-25T12:00:00Z"), new Alert(Event.COORDINATOR_SUSPECT, message));
        }
        alerter.close();

        assertThat(log.toString().lines().filter(line -> line.contains("alert-delivery: logger failed"))).hasSize(2);
    }

    @Test
    void anEmptyUtmpMeansNobodyToTellNotAFailure() {
        assertThat(Terminals.nobodyReachable(List.of())).isEmpty();
        assertThat(Terminals.nobodyReachable(List.of(new Terminals.Terminal("pts/0", "ops", false),
                new Terminals.Terminal("pts/1", "dba", true)))).isEmpty();
    }

    @Test
    void controlCharactersFromAnotherHostReachNoTerminalSyslogOrHook() throws Exception {
        StringWriter log = new StringWriter();
        FakeCommandRunner runner = new FakeCommandRunner();
        Alerter alerter = alerter("{command: 'notify-oncall'}", runner, log, NO_PEER, SOMEONE);
        Alert alert = new Alert(Event.PROMOTING, "mdw said \u001b]0;pwned\u0007\u009b2J\nWARNING forged \u202eevil");

        List<Command> commands = commands(alerter, alert);
        String clean = "mdw said ?]0;pwned??2J WARNING forged evil";

        assertThat(commands.get(0).argv()).last().isEqualTo("gpfo gpprod on smdw: " + clean);
        assertThat(commands.get(1).argv()).containsExactly("wall", "gpfo gpprod on smdw: " + clean);
        assertThat(commands.get(2).environment()).containsEntry("GPFO_MESSAGE", clean);
        assertThat(alerter.peerWall(alert)).hasValue(List.of("wall", "gpfo gpprod on smdw: " + clean));
        alerter.send(Instant.parse("2026-01-01T00:00:00Z"), alert);
        alerter.close();
        assertThat(log.toString().lines().findFirst()).hasValue("2026-01-01T00:00:00Z EMERGENCY promoting: " + clean);
    }
}
