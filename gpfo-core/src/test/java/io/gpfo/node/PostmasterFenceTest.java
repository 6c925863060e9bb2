package io.gpfo.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.node.PostmasterFence.Result;
import io.gpfo.port.CommandResult;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** fence.sh's answer read back: its lines and exit code, and what a failed SSH leaves instead of them. */
class PostmasterFenceTest {

    private static CommandResult run(int exitCode, String stdout, String stderr) {
        return new CommandResult(exitCode, stdout, stderr, false, Duration.ofMillis(30));
    }

    @Test
    void aStoppedPostmasterWithItsPid() {
        PostmasterFence fence = PostmasterFence.parse(run(0, "fence=stopped 4242\n", ""));

        assertThat(fence).isEqualTo(new PostmasterFence(Result.STOPPED, OptionalLong.of(4242), Optional.empty(), ""));
        assertThat(fence.done()).isTrue();
        assertThat(fence.describe()).isEqualTo("postmaster 4242 stopped");
    }

    @Test
    void theStaleSocketLockRemovedAfterTheStop() {
        PostmasterFence fence = PostmasterFence.parse(run(0, "fence=stopped 4242\nlock=removed /tmp/.s.PGSQL.5432.lock\n", ""));

        assertThat(fence.lockRemoved()).hasValue("/tmp/.s.PGSQL.5432.lock");
        assertThat(fence.describe()).isEqualTo("postmaster 4242 stopped, stale lock /tmp/.s.PGSQL.5432.lock removed");
    }

    @Test
    void noPostmasterRunningIsAFenceDone() {
        PostmasterFence bare = PostmasterFence.parse(run(0, "fence=not-running\n", ""));
        PostmasterFence withLock = PostmasterFence.parse(run(0, "fence=not-running\nlock=removed /tmp/.s.PGSQL.6000.lock\n", ""));

        assertThat(bare.result()).isEqualTo(Result.NOT_RUNNING);
        assertThat(bare.pid()).isEmpty();
        assertThat(bare.done()).isTrue();
        assertThat(bare.describe()).isEqualTo("no postmaster was running");
        assertThat(withLock.describe()).isEqualTo("no postmaster was running, stale lock /tmp/.s.PGSQL.6000.lock removed");
    }

    @Test
    void aPostmasterThatSurvivedSigkillIsNotFenced() {
        PostmasterFence fence = PostmasterFence.parse(run(1, "fence=failed postmaster 4242 survived SIGKILL\n", ""));

        assertThat(fence.result()).isEqualTo(Result.SURVIVED);
        assertThat(fence.pid()).hasValue(4242);
        assertThat(fence.done()).isFalse();
        assertThat(fence.describe()).isEqualTo("postmaster 4242 survived SIGKILL");
    }

    @Test
    void theEnvironmentScriptsChatterBeforeTheAnswerDoesNotHideIt() {
        PostmasterFence fence = PostmasterFence.parse(run(0, "greenplum_path.sh: PYTHONHOME is set\nfence=stopped 77\n", ""));

        assertThat(fence.result()).isEqualTo(Result.STOPPED);
        assertThat(fence.pid()).hasValue(77);
    }

    @Test
    void sshThatCouldNotConnectIsAFenceNotRunWithTheReason() {
        PostmasterFence fence = PostmasterFence.parse(run(255, "", "ssh: connect to host mdw port 22: Connection timed out\n"));

        assertThat(fence.result()).isEqualTo(Result.NOT_RUN);
        assertThat(fence.done()).isFalse();
        assertThat(fence.describe()).isEqualTo("exit 255: ssh: connect to host mdw port 22: Connection timed out");
    }

    @Test
    void aTimedOutFenceIsNotRun() {
        PostmasterFence fence = PostmasterFence.parse(new CommandResult(-1, "", "", true, Duration.ofSeconds(20)));

        assertThat(fence.result()).isEqualTo(Result.NOT_RUN);
        assertThat(fence.describe()).isEqualTo("timed out after 20000 ms");
    }

    @Test
    void aStoppedLineFromAFailedRunIsNotTrusted() {
        // the script exits 0 after every fence; a non-zero exit means something else went wrong after it
        PostmasterFence fence = PostmasterFence.parse(run(1, "fence=stopped 4242\n", "rm: cannot remove"));

        assertThat(fence.result()).isEqualTo(Result.NOT_RUN);
        assertThat(fence.done()).isFalse();
        assertThat(fence.describe()).isEqualTo("exit 1: rm: cannot remove (said: fence=stopped 4242)");
    }

    @Test
    void garbageIsNeverAFence() {
        assertThat(PostmasterFence.parse(run(0, "hello\nworld\n", "")).describe()).isEqualTo("exit 0: hello (said: hello world)");
        assertThat(PostmasterFence.parse(run(0, "", "")).result()).isEqualTo(Result.NOT_RUN);
        assertThat(PostmasterFence.parse(run(0, "fence=stopped abc\n", "")).result()).isEqualTo(Result.NOT_RUN);
        assertThat(PostmasterFence.parse(run(0, "xfence=stopped 12\n", "")).result()).isEqualTo(Result.NOT_RUN);
        assertThat(PostmasterFence.parse(run(0, "fence=stopped 12 and more\n", "")).result()).isEqualTo(Result.NOT_RUN);
    }

    @Test
    void aFenceThatCouldNotRunSaysWhy() {
        PostmasterFence fence = PostmasterFence.notRun("Host key for mdw changed");

        assertThat(fence.done()).isFalse();
        assertThat(fence.describe()).isEqualTo("Host key for mdw changed");
    }
}
