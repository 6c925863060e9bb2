package io.gpfo.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inspect and fence scripts, run for real by bash against a data directory whose
 * "postmaster" is a sleep process, with pg_controldata and pg_ctl stand-ins on PATH.
 */
class PostmasterScriptsTest {

    private static final int PORT = 59_431;
    private static final Path LOCK = Path.of("/tmp/.s.PGSQL." + PORT + ".lock");

    @TempDir
    Path dir;

    private Path data;
    private Path bin;
    private Process postmaster;

    @BeforeEach
    void setUp() throws Exception {
        data = Files.createDirectories(dir.resolve("gpseg-1"));
        bin = Files.createDirectories(dir.resolve("bin"));
        tool("pg_controldata", "echo 'Database cluster state:               in production'\n"
                + "echo \"Latest checkpoint's TimeLineID:       3\"");
        // a pg_ctl that cannot stop anything, like one facing a SIGSTOPped postmaster
        tool("pg_ctl", "exit 1");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (postmaster != null) {
            postmaster.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(LOCK);
    }

    private void tool(String name, String body) throws Exception {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void startPostmaster(boolean stopped) throws Exception {
        startPostmaster(stopped, "");
    }

    /** A "postmaster" whose postmaster.pid has {@code rest} after its pid and data directory lines. */
    private void startPostmaster(boolean stopped, String rest) throws Exception {
        postmaster = new ProcessBuilder("sleep", "60").start();
        if (stopped) {
            new ProcessRunner().run(Duration.ofSeconds(5), "kill", "-STOP", Long.toString(postmaster.pid()));
        }
        Files.writeString(data.resolve("postmaster.pid"), postmaster.pid() + "\n" + data + "\n" + rest);
    }

    /** postmaster.pid's lines after the data directory, as PostgreSQL writes them: start, port, socket dir, listen, shm, status. */
    private static String listening(int port, Path socketDirectory) {
        return "1764000000\n" + port + "\n" + socketDirectory + "\n*\n  5432001    32768\nready   \n";
    }

    /** A pg_isready that records its arguments and answers only on {@code socketDirectory} and {@code port}. */
    private Path pgIsReadyAnsweringOn(Path socketDirectory, int port) throws Exception {
        Path calls = dir.resolve("pg_isready.calls");
        tool("pg_isready", "echo \"$*\" >> " + calls + "\n"
                + "case \" $* \" in *\" -h " + socketDirectory + " -p " + port + " \"*) exit 0 ;; esac\nexit 2");
        return calls;
    }

    private CommandResult run(String script, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("bash", "-c", script, "script"));
        argv.addAll(List.of(args));
        return new ProcessRunner().run(new Command(argv, Map.of("PATH", bin + ":/usr/bin:/bin"), null, Duration.ofSeconds(30)));
    }

    @Test
    void inspectSeesARunningPostmaster() throws Exception {
        startPostmaster(false);

        Inspection inspection = Inspection.parse(run(Postmasters.INSPECT, data.toString()).stdout());

        assertThat(inspection.running()).isTrue();
        assertThat(inspection.pid()).hasValue(postmaster.pid());
        assertThat(inspection.stopped()).isFalse();
        assertThat(inspection.controlData().orElseThrow().timeline()).hasValue(3);
    }

    @Test
    void inspectSeesAStoppedPostmasterAsHung() throws Exception {
        startPostmaster(true);

        assertThat(Inspection.parse(run(Postmasters.INSPECT, data.toString()).stdout()).stopped()).isTrue();
    }

    @Test
    void inspectSeesACrashWhenThePidIsDead() throws Exception {
        Files.writeString(data.resolve("postmaster.pid"), "999999999\n");

        Inspection inspection = Inspection.parse(run(Postmasters.INSPECT, data.toString()).stdout());

        assertThat(inspection.crashed()).isTrue();
        assertThat(Inspection.parse(run(Postmasters.INSPECT, dir.resolve("nowhere").toString()).stdout()).postmaster())
                .isEqualTo(Inspection.Postmaster.NO_DATA_DIRECTORY);
    }

    @Test
    void inspectAsksThePostmasterOnTheSocketAndPortItWroteInPostmasterPid() throws Exception {
        Path sockets = Files.createDirectories(dir.resolve("sockets"));
        Path calls = pgIsReadyAnsweringOn(sockets, 5444);
        startPostmaster(false, listening(5444, sockets));

        // configured port 5432: the postmaster's own word wins, and no compiled-in socket directory is used
        CommandResult result = run(Postmasters.INSPECT, data.toString(), "5432");
        Inspection inspection = Inspection.parse(result.stdout());

        assertThat(inspection.localAnswers()).as(result.stdout()).contains(true);
        assertThat(inspection.hung()).isFalse();
        assertThat(result.stdout()).contains("local-sql-socket=" + sockets + " port 5444 (postmaster.pid)");
        assertThat(Files.readString(calls)).isEqualTo("-q -h " + sockets + " -p 5444 -t 1\n");
    }

    @ParameterizedTest(name = "postmaster.pid after the data directory: \"{0}\"")
    @ValueSource(strings = {"", "1764000000\n", "1764000000\nfive\nrelative/sockets\n*\n", "1764000000\n5444\n\n*\n",
        "1764000000\n\n/tmp\n"})
    void inspectFallsBackToTheConfiguredPortAndSaysSoWhenPostmasterPidLacksThem(String rest) throws Exception {
        Path calls = pgIsReadyAnsweringOn(dir.resolve("sockets"), PORT);
        startPostmaster(false, rest);

        CommandResult result = run(Postmasters.INSPECT, data.toString(), Integer.toString(PORT));

        assertThat(result.stdout()).contains("local-sql-socket=default port " + PORT + " (configured port, default socket"
                + " directory: postmaster.pid names no port and socket directory)");
        assertThat(Files.readString(calls)).isEqualTo("-q -p " + PORT + " -t 1\n");
        // pg_isready on the default socket did not answer: running, but not answering on its host
        assertThat(Inspection.parse(result.stdout()).localAnswers()).contains(false);
    }

    @Test
    void fenceRemovesTheStaleLockInTheSocketDirectoryThatPostmasterPidNames() throws Exception {
        Path sockets = Files.createDirectories(dir.resolve("sockets"));
        Path lock = sockets.resolve(".s.PGSQL.5444.lock");
        Files.writeString(lock, "999999999\n" + data + "\n");
        // a crashed postmaster: its postmaster.pid stays, naming a dead pid, its port and its socket directory
        Files.writeString(data.resolve("postmaster.pid"), "999999999\n" + data + "\n" + listening(5444, sockets));

        CommandResult fence = run(Postmasters.FENCE, data.toString(), Integer.toString(PORT));

        assertThat(fence.stdout()).contains("fence=not-running").contains("lock=removed " + lock);
        assertThat(lock).doesNotExist();
    }

    @Test
    void fenceKillsAStoppedPostmasterThatPgCtlCannotStop() throws Exception {
        startPostmaster(true);

        CommandResult fence = run(Postmasters.FENCE, data.toString(), Integer.toString(PORT));

        assertThat(fence.exitCode()).as(fence.stdout() + fence.stderr()).isZero();
        assertThat(fence.stdout()).contains("fence=stopped " + postmaster.pid());
        assertThat(postmaster.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void fenceKillsAStoppedPostmasterAtOnceWithoutAskingPgCtl() throws Exception {
        Path calls = dir.resolve("pg_ctl.calls");
        tool("pg_ctl", "echo \"$*\" >> " + calls + "\nsleep 5\nexit 1");
        startPostmaster(true);

        CommandResult fence = run(Postmasters.FENCE, data.toString(), Integer.toString(PORT));

        assertThat(fence.stdout()).contains("fence=stopped " + postmaster.pid());
        assertThat(calls).doesNotExist();
    }

    @Test
    void fenceAsksPgCtlForAnImmediateStopOfARunningPostmaster() throws Exception {
        Path calls = dir.resolve("pg_ctl.calls");
        tool("pg_ctl", "echo \"$*\" >> " + calls + "\nexit 1");
        startPostmaster(false);

        CommandResult fence = run(Postmasters.FENCE, data.toString(), Integer.toString(PORT));

        assertThat(fence.stdout()).contains("fence=stopped " + postmaster.pid());
        assertThat(Files.readString(calls)).isEqualTo("stop -D " + data + " -m immediate -w -t 5\n");
    }

    @Test
    void fenceRemovesAStaleSocketLockButNotALiveOne() throws Exception {
        Files.writeString(LOCK, "999999999\n" + data + "\n");

        CommandResult stale = run(Postmasters.FENCE, data.toString(), Integer.toString(PORT));

        assertThat(stale.stdout()).contains("fence=not-running").contains("lock=removed " + LOCK);
        assertThat(LOCK).doesNotExist();

        Files.writeString(LOCK, ProcessHandle.current().pid() + "\n" + data + "\n");
        CommandResult live = run(Postmasters.FENCE, data.toString(), Integer.toString(PORT));
        assertThat(live.stdout()).doesNotContain("lock=removed");
        assertThat(LOCK).exists();
    }
}
