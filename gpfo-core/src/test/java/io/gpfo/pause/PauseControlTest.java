package io.gpfo.pause;

import static io.gpfo.testing.TestCluster.PEER;
import static io.gpfo.testing.TestCluster.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpfo.port.CommandRunner;
import io.gpfo.port.ProcessRunner;
import io.gpfo.state.PauseFile;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.RecordingStepLog;
import io.gpfo.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pause and resume on both hosts, from smdw: the pause file written here, the same written on mdw
 * over SSH (its script run for real by sh against mdw's own state directory), and an unreachable
 * peer said, not hidden.
 */
class PauseControlTest {

    static final Instant HALF_PAST = START.plus(Duration.ofMinutes(30));

    @TempDir
    Path hosts;

    /** smdw's state directory, and mdw's, which the peer's commands are pointed at when they run for real. */
    private Path state;
    private Path peerState;
    private TestCluster cluster;
    private final RecordingStepLog steps = new RecordingStepLog();
    private PauseControl pauses;
    /** What mdw was asked to run, as sent. */
    private final List<List<String>> sentToPeer = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        state = hosts.resolve("smdw");
        peerState = Files.createDirectories(hosts.resolve("mdw"));
        cluster = TestCluster.onStandbyHost(state);
        cluster.shell.on(PEER, "sh -c ", argv -> {
            sentToPeer.add(argv);
            return new ProcessRunner().run(new CommandRunner.Command(argv.stream()
                    .map(argument -> argument.replace(state.toString(), peerState.toString())).toList(), Map.of(), null,
                    Duration.ofSeconds(10)));
        });
        pauses = new PauseControl(cluster.access, steps);
    }

    @Test
    void aPauseUntilAnInstantIsWrittenOnBothHostsWithWhoPaused() throws IOException {
        boolean both = pauses.pause(Optional.of(HALF_PAST), "gpfo rejoin");

        assertThat(both).isTrue();
        String content = "2026-11-30T12:30:00Z\nby: gpfo rejoin\n";
        assertThat(Files.readString(state.resolve(PauseFile.FILE_NAME))).isEqualTo(content);
        assertThat(Files.readString(peerState.resolve(PauseFile.FILE_NAME))).isEqualTo(content);
        assertThat(sentToPeer).containsExactly(List.of("sh", "-c", PauseControl.WRITE, "pause",
                state.resolve(PauseFile.FILE_NAME).toString(), content));
        assertThat(Files.list(peerState).map(Path::getFileName).map(Path::toString)).containsExactly(PauseFile.FILE_NAME);
        assertThat(pauses.current()).contains(new PauseFile.Pause(HALF_PAST, "gpfo rejoin"));
        assertThat(steps.lines()).containsExactly("OK      paused on smdw until 2026-11-30T12:30:00Z (gpfo rejoin)",
                "OK      paused on mdw until 2026-11-30T12:30:00Z");
    }

    @Test
    void theOperatorsPauseLastsUntilResume() throws IOException {
        boolean both = pauses.pause(Optional.empty(), PauseFile.BY_OPERATOR);

        assertThat(both).isTrue();
        assertThat(Files.readString(state.resolve(PauseFile.FILE_NAME))).isEqualTo("indefinitely\nby: gpfo pause\n");
        assertThat(PauseFile.read(peerState)).contains(new PauseFile.Pause(Instant.MAX, PauseFile.BY_OPERATOR));
        assertThat(steps.lines()).containsExactly("OK      paused on smdw until 'gpfo resume'",
                "OK      paused on mdw until 'gpfo resume'");
    }

    @Test
    void resumeLiftsThePauseOnBothHostsAndLeavesTheMarker() throws IOException {
        pauses.pause(Optional.empty(), PauseFile.BY_OPERATOR);
        sentToPeer.clear();
        steps.clear();

        boolean both = pauses.resume();

        assertThat(both).isTrue();
        for (Path directory : List.of(state, peerState)) {
            assertThat(PauseFile.read(directory)).as(directory.toString()).isEmpty();
            assertThat(PauseFile.resumeRequested(directory)).as(directory.toString()).isTrue();
        }
        assertThat(sentToPeer).containsExactly(List.of("sh", "-c", PauseControl.RESUME, "resume", state.toString()));
        assertThat(steps.lines()).containsExactly("OK      resumed on smdw", "OK      resumed on mdw");
    }

    @Test
    void aPauseWhoseTimeRanOutIsNoLongerActive() throws IOException {
        pauses.pause(Optional.of(HALF_PAST), PauseFile.BY_OPERATOR);

        assertThat(pauses.active(HALF_PAST.minusSeconds(1))).contains(new PauseFile.Pause(HALF_PAST, PauseFile.BY_OPERATOR));
        assertThat(pauses.active(HALF_PAST)).isEmpty();
        assertThat(pauses.current()).as("the file stays until resumed").isPresent();
    }

    @Test
    void anUnreachablePeerPausesOnlyThisHostAndSaysSo() throws IOException {
        cluster.shell.unreachable(PEER);

        boolean both = pauses.pause(Optional.empty(), PauseFile.BY_OPERATOR);

        assertThat(both).isFalse();
        assertThat(pauses.current()).isPresent();
        assertThat(steps.lines()).containsExactly("OK      paused on smdw until 'gpfo resume'",
                "FAILED  paused on mdw: connect to mdw port 22 timed out",
                "        only this host is paused; run the same command on mdw when it is reachable");

        steps.clear();
        boolean resumedBoth = pauses.resume();

        assertThat(resumedBoth).isFalse();
        assertThat(pauses.current()).isEmpty();
        assertThat(steps.lines()).containsExactly("OK      resumed on smdw", "FAILED  resumed on mdw: connect to mdw port 22 timed out",
                "        only this host is resumed; run the same command on mdw when it is reachable");
    }

    @Test
    void aPeerWhoseCommandFailsIsNotPaused() throws IOException {
        cluster.shell.answer(PEER, "sh -c ", FakeShell.exit(1, "", "sh: can't create /var/lib/gpfo/paused.tmp: Permission denied"));

        boolean both = pauses.pause(Optional.empty(), PauseFile.BY_OPERATOR);

        assertThat(both).isFalse();
        assertThat(steps.lines()).anySatisfy(line -> assertThat(line).startsWith("FAILED  paused on mdw: ")
                .contains("Permission denied"));
        assertThat(steps.lines()).endsWith("        only this host is paused; run the same command on mdw when it is reachable");
    }

    @Test
    void workRunsPausedAndThePauseTakenForItIsLiftedAfterwardsAlsoAfterAFailure() throws IOException {
        Optional<String> done = pauses.whilePaused("gpfo rejoin", START, Duration.ofHours(2), () -> {
            assertThat(PauseFile.read(state)).hasValueSatisfying(pause -> assertThat(pause.by()).isEqualTo("gpfo rejoin"));
            assertThat(PauseFile.read(peerState)).hasValueSatisfying(pause -> assertThat(pause.by()).isEqualTo("gpfo rejoin"));
            return "done";
        });
        assertThat(done).hasValue("done");
        assertThat(PauseFile.read(state)).isEmpty();
        assertThat(PauseFile.read(peerState)).isEmpty();

        assertThatThrownBy(() -> pauses.whilePaused("gpfo switchover", START, Duration.ofHours(2), () -> {
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(PauseFile.read(state)).isEmpty();
        assertThat(PauseFile.read(peerState)).isEmpty();
    }

    @Test
    void workDoesNotRunWhenThePeerCannotBePaused() throws IOException {
        cluster.shell.unreachable(PEER);
        List<String> ran = new CopyOnWriteArrayList<>();

        Optional<String> done = pauses.whilePaused("gpfo rejoin", START, Duration.ofHours(2), () -> {
            ran.add("work");
            return "done";
        });

        assertThat(done).isEmpty();
        assertThat(ran).isEmpty();
        assertThat(PauseFile.read(state)).as("this host's pause is lifted again").isEmpty();
        assertThat(steps.lines()).contains("FAILED  pause both agents: not started, so that no agent acts in the middle of it;"
                + " nothing else was changed");
    }

    @Test
    void anActivePauseIsKeptAndTheWorkRuns() throws IOException {
        pauses.pause(Optional.empty(), PauseFile.BY_OPERATOR);

        assertThat(pauses.whilePaused("gpfo rejoin", START, Duration.ofHours(2), () -> "done")).hasValue("done");

        assertThat(PauseFile.read(state)).hasValueSatisfying(pause -> assertThat(pause.by()).isEqualTo(PauseFile.BY_OPERATOR));
    }
}
