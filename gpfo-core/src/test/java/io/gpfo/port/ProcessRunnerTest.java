package io.gpfo.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.port.CommandRunner.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

    private final ProcessRunner runner = new ProcessRunner();

    @Test
    void capturesBothStreamsAndTheExitCode() {
        CommandResult result = runner.run(Duration.ofSeconds(10), "sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.ok()).isFalse();
        assertThat(result.failureSummary()).isEqualTo("exit 3: err");
    }

    @Test
    void passesArgumentsVerbatimWithoutAShell() {
        CommandResult result = runner.run(Duration.ofSeconds(10), "printf", "%s|", "a b", "$(id)", "'q'");

        assertThat(result.stdout()).isEqualTo("a b|$(id)|'q'|");
    }

    @Test
    void drainsLargeOutputOnBothStreams() {
        CommandResult result = runner.run(Duration.ofSeconds(20), "sh", "-c",
                "head -c 3000000 /dev/zero | tr '\\0' o; head -c 3000000 /dev/zero | tr '\\0' e >&2");

        assertThat(result.ok()).isTrue();
        assertThat(result.stdout()).hasSize(3_000_000);
        assertThat(result.stderr()).hasSize(3_000_000);
    }

    @Test
    void givesEnvironmentAndStdin() {
        Command command = Command.of(Duration.ofSeconds(10), "sh", "-c", "echo \"$GREETING\"; cat")
                .withEnvironment(Map.of("GREETING", "hello")).withStdin("from stdin");

        assertThat(runner.run(command).stdout()).isEqualTo("hello\nfrom stdin");
    }

    @Test
    void timeoutKillsTheWholeProcessTree(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("grandchild.pid");
        // a grandchild that would outlive a naive kill of the direct child
        CommandResult result = runner.run(Duration.ofMillis(700), "sh", "-c",
                "sleep 60 & echo $! > " + pidFile + "; wait");

        assertThat(result.timedOut()).isTrue();
        assertThat(result.ok()).isFalse();
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.failureSummary()).startsWith("timed out after");
        long grandchild = Long.parseLong(Files.readString(pidFile).strip());
        // SIGKILL is delivered asynchronously: wait, bounded, for the grandchild to stop running
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (isRunning(grandchild) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(isRunning(grandchild)).as("grandchild %d still running", grandchild).isFalse();
    }

    /** Gone, or a zombie waiting for a parent that does not reap: either way it does not run. */
    private static boolean isRunning(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text = Files.readString(stat);
        char state = text.charAt(text.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }

    @Test
    void aMissingProgramIsAFailureNotAnException() {
        CommandResult result = runner.run(Duration.ofSeconds(5), "/nonexistent/gpfo-test-binary");

        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.timedOut()).isFalse();
        assertThat(result.stderr()).contains("cannot run /nonexistent/gpfo-test-binary");
    }

    @Test
    void rejectsAnEmptyArgv() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Command(List.of(), Map.of(), null, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
