package io.gpfo.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.Executables;
import io.gpfo.port.ProcessRunner;
import io.gpfo.port.Scripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd unit and the SysV init script: golden files, syntax checks by the real tools
 * (systemd-analyze verify, sh -n), and the init script driven for real with a stand-in agent.
 */
class ServiceFilesTest {

    private static final ProcessRunner RUNNER = new ProcessRunner();
    private static final Executables TOOLS = Executables.fromPath(System.getenv("PATH"));

    @TempDir
    Path dir;

    private static CommandResult run(String... argv) {
        return RUNNER.run(new Command(List.of(argv), Map.of(), null, Duration.ofSeconds(60)));
    }

    @Test
    void theUnitIsTheGoldenOne() {
        assertThat(ServiceFiles.unit("gpadmin", "gpadmin")).isEqualTo(Scripts.load(getClass(), "gpfo.service.golden"));
    }

    @Test
    void theInitScriptIsTheGoldenOne() {
        assertThat(ServiceFiles.initScript()).isEqualTo(Scripts.load(getClass(), "gpfo.init.golden"));
    }

    @Test
    void theUnitRunsTheAgentUnprivilegedWithTheTwoNetworkCapabilitiesOnly() {
        String unit = ServiceFiles.unit("gpadmin", "staff");

        assertThat(unit.lines()).contains("User=gpadmin", "Group=staff", "ExecStart=/opt/gpfo/current/bin/gpfo watch",
                "AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW", "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW",
                "NoNewPrivileges=yes", "SupplementaryGroups=tty", "Restart=on-failure", "SuccessExitStatus=143", "After=network-online.target", "Wants=network-online.target",
                "KillSignal=SIGTERM", "TimeoutStopSec=300s", "WantedBy=multi-user.target");
    }

    @Test
    void aStopSignalsTheAgentAloneSoThatAPostmasterStartedByAPromotionSurvivesIt() {
        List<String> killModes = ServiceFiles.unit("gpadmin", "staff").lines().filter(line -> line.startsWith("KillMode=")).toList();

        // mixed or control-group would SIGKILL a coordinator started from the agent's cgroup
        assertThat(killModes).containsExactly("KillMode=process");
    }

    @Test
    void oddNamesNeverReachTheUnit() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServiceFiles.unit("gpadmin\nExecStartPre=/bin/evil", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void systemdAnalyzeVerifiesTheUnit() throws IOException {
        Optional<Path> analyze = TOOLS.find("systemd-analyze");
        assumeTrue(analyze.isPresent(), "systemd-analyze is not installed (Debian package systemd)");
        // verify insists ExecStart exists: point it at a stand-in
        Path gpfo = executable("gpfo", "#!/bin/sh\n");
        Path unit = dir.resolve("gpfo.service");
        Files.writeString(unit, ServiceFiles.unit("gpadmin", "gpadmin").replace(Layout.SERVICE_EXECUTABLE, gpfo.toString()));

        CommandResult verified = run(analyze.get().toString(), "verify", unit.toString());

        assertThat(verified.exitCode()).as(verified.stderr()).isZero();
        assertThat(verified.stderr()).as("no warning about the unit").doesNotContain(unit.toString());
    }

    @Test
    void theInitScriptIsPosixShell() throws IOException {
        Path script = dir.resolve("gpfo");
        Files.writeString(script, ServiceFiles.initScript());

        CommandResult sh = run("sh", "-n", script.toString());
        assertThat(sh.exitCode()).as(sh.stderr()).isZero();
        if (TOOLS.find("bash").isPresent()) {
            CommandResult posix = run("bash", "--posix", "-n", script.toString());
            assertThat(posix.exitCode()).as(posix.stderr()).isZero();
        }
        assertThat(ServiceFiles.initScript()).startsWith("#!/bin/sh\n### BEGIN INIT INFO\n# Provides:          gpfo\n")
                .contains("# chkconfig: 2345 99 01\n", "PIDFILE=/var/run/gpfo/gpfo.pid\n",
                        "GPFO=/opt/gpfo/current/bin/gpfo\n", "SELF=/etc/init.d/gpfo\n");
    }

    // ---- the init script for real, with a stand-in for gpfo watch

    private Path init;
    private Path pidFile;
    private Path log;

    private Path executable(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The init script with the stand-in agent, a private pid file and log, and a short stop timeout. */
    private void installStandIn() throws IOException {
        Path gpfo = executable("gpfo", """
                #!/bin/sh
                # stands in for "gpfo watch": says so, stops on SIGTERM, or ignores it, or fails at once
                here=$(dirname "$0")
                [ -e "$here/fail" ] && { echo "config error" >&2; exit 2; }
                echo "watching as $(id -un)"
                if [ -e "$here/ignore-term" ]; then trap '' TERM; else trap 'echo stopping; exit 0' TERM; fi
                while :; do sleep 1; done
                """);
        pidFile = dir.resolve("run/gpfo.pid");
        log = dir.resolve("gpfo.log");
        init = dir.resolve("gpfo.init");
        executable("gpfo.init", ServiceFiles.render("gpfo.init.in", Map.of("GPFO", gpfo.toString(), "SELF", init.toString(),
                "PIDFILE", pidFile.toString(), "FALLBACK_LOG", log.toString(), "STOP_TIMEOUT", "3")));
    }

    private CommandResult service(String action) {
        return run(init.toString(), action);
    }

    private long pid() throws IOException {
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    @AfterEach
    void killStandIn() throws IOException {
        if (pidFile != null && Files.exists(pidFile)) {
            ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void startStatusStopFollowTheLsbExitCodes() throws IOException {
        installStandIn();
        assertThat(service("status").exitCode()).isEqualTo(3);

        CommandResult started = service("start");
        assertThat(started.exitCode()).as(started.stdout() + started.stderr()).isZero();
        assertThat(started.stdout()).startsWith("gpfo started (pid ");
        long pid = pid();
        assertThat(ProcessHandle.of(pid)).isPresent();
        CommandResult running = service("status");
        assertThat(running.exitCode()).isZero();
        assertThat(running.stdout()).isEqualTo("gpfo is running (pid " + pid + ")\n");
        if (!Files.exists(Path.of("/dev/log"))) {
            assertThat(Files.readString(log)).as("no syslog socket: the fallback log").contains("watching as");
        }

        CommandResult again = service("start");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).isEqualTo("gpfo is already running (pid " + pid + ")\n");

        CommandResult stopped = service("stop");
        assertThat(stopped.exitCode()).isZero();
        assertThat(stopped.stdout()).isEqualTo("gpfo stopped\n");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(pidFile).doesNotExist();
        assertThat(service("status").exitCode()).isEqualTo(3);
        assertThat(service("stop").stdout()).isEqualTo("gpfo is not running\n");
    }

    @Test
    void aPidFileOfADeadOrForeignProcessIsNotTrusted() throws IOException, InterruptedException {
        installStandIn();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, gone.pid() + "\n");

        CommandResult dead = service("status");
        assertThat(dead.exitCode()).isEqualTo(1);
        assertThat(dead.stdout()).contains("dead but its pid file");

        // a live process that is not the agent: never signalled
        Process foreign = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(pidFile, foreign.pid() + "\n");
            assertThat(service("stop").stdout()).isEqualTo("gpfo is not running\n");
            assertThat(foreign.isAlive()).isTrue();
        } finally {
            foreign.destroyForcibly();
        }
    }

    @Test
    void anAgentThatIgnoresSigtermIsKilledAfterTheTimeout() throws IOException {
        installStandIn();
        Files.createFile(dir.resolve("ignore-term"));
        assertThat(service("start").exitCode()).isZero();
        long pid = pid();

        CommandResult stopped = service("stop");

        assertThat(stopped.exitCode()).isZero();
        assertThat(stopped.stderr()).contains("did not stop within 3 s; killing it");
        assertThat(alive(pid)).as("pid %d after stop", pid).isFalse();
    }

    /** Alive and not a zombie: a killed agent that init has not reaped yet is gone for the service. */
    private static boolean alive(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text = Files.readString(stat);
        String state = text.substring(text.lastIndexOf(')') + 2).split(" ")[0];
        return !state.equals("Z") && !state.equals("X");
    }

    @Test
    void anAgentThatStopsAtOnceIsAFailedStart() throws IOException {
        installStandIn();
        Files.createFile(dir.resolve("fail"));

        CommandResult started = service("start");

        assertThat(started.exitCode()).isEqualTo(1);
        assertThat(started.stderr()).contains("gpfo did not start or stopped at once");
    }

    @Test
    void restartReplacesTheAgent() throws IOException {
        installStandIn();
        assertThat(service("start").exitCode()).isZero();
        long first = pid();

        CommandResult restarted = service("restart");

        assertThat(restarted.exitCode()).as(restarted.stderr()).isZero();
        assertThat(pid()).isNotEqualTo(first);
        assertThat(service("status").exitCode()).isZero();
    }
}
