package io.gpfo.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalStoreTest {

    @TempDir
    Path dir;

    @Test
    void writesAtomicallyAndReadsBackEverything() throws Exception {
        JournalStore store = new JournalStore(dir);
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        Journal journal = Journal.initial(now).withPhase(Phase.FENCE_PENDING, now).withFencePending(Optional.of("mdw")).withPromotion()
                .withFailures(3).healthy(now, OptionalLong.of(1234)).withEvent("promoted", now).withAlertSent("fence-pending", now)
                .withDecision("serving");

        assertThat(store.read()).isEmpty();
        store.write(journal);

        assertThat(store.read()).hasValue(journal);
        assertThat(Files.list(dir).map(path -> path.getFileName().toString())).containsExactly("state.json");
        assertThat(Files.readString(store.file())).contains("\"phase\" : \"fence_pending\"").contains("\"fence_pending_host\" : \"mdw\"");
    }

    @Test
    void onlyTheHealthyRoundsTimeAndLagCountAsAHealthyRoundChange() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        Journal journal = Journal.initial(now).healthy(now, OptionalLong.of(10));

        assertThat(journal.differsOnlyInHealthyRound(journal.healthy(now.plusSeconds(1), OptionalLong.of(20)))).isTrue();
        assertThat(journal.differsOnlyInHealthyRound(journal)).isTrue();
        assertThat(journal.differsOnlyInHealthyRound(null)).isFalse();
        assertThat(journal.differsOnlyInHealthyRound(journal.withFailures(1))).isFalse();
        assertThat(journal.differsOnlyInHealthyRound(journal.withPhase(Phase.SUSPECT, now))).isFalse();
        assertThat(journal.differsOnlyInHealthyRound(journal.withAlertSent("both", now))).isFalse();
        assertThat(journal.differsOnlyInHealthyRound(journal.withDecision("something else"))).isFalse();
    }

    @Test
    void aJournalWrittenByTheFirstReleaseStillReads() throws Exception {
        Files.writeString(dir.resolve("state.json"), """
                {
                  "phase" : "fence_pending",
                  "since" : "2026-11-25T12:00:00Z",
                  "consecutive_failures" : 0,
                  "last_healthy_at" : "2026-11-25T11:59:50Z",
                  "last_lag_bytes" : 64,
                  "fence_pending_host" : "mdw",
                  "promotions" : 1,
                  "last_decision" : "serving as primary",
                  "last_event" : "promoted: ok",
                  "last_event_at" : "2026-11-25T12:00:00Z",
                  "alerts_sent" : { "fence-pending" : "2026-11-25T12:00:00Z" }
                }
                """);

        Journal journal = new JournalStore(dir).read().orElseThrow();

        assertThat(journal.phase()).isEqualTo(Phase.FENCE_PENDING);
        assertThat(journal.health().lastLagBytes()).hasValue(64);
        assertThat(journal.promotions()).isEqualTo(new Journal.Promotions(1, Optional.of("mdw")));
        assertThat(journal.activity().lastEvent()).hasValue("promoted: ok");
        assertThat(journal.alertsSent()).containsKey("fence-pending");
    }

    @Test
    void aCorruptJournalIsAClearError() throws Exception {
        Files.writeString(dir.resolve("state.json"), "{ half");

        assertThatThrownBy(() -> new JournalStore(dir).read()).hasMessageContaining("is not a gpfo journal")
                .hasMessageContaining("move it away");
    }

    @Test
    void oneAgentPerHost() throws Exception {
        JournalStore store = new JournalStore(dir);
        Optional<FileLock> first = store.lock();
        assertThat(first).isPresent();
        // a second agent (another JVM; here another channel, which the JVM refuses the same way)
        assertThat(new JournalStore(dir).lock()).isEmpty();
        first.get().release();
        first.get().channel().close();
        Optional<FileLock> again = store.lock();
        assertThat(again).isPresent();
        again.get().channel().close();
    }

    @Test
    void pauseFile() {
        assertThat(PauseFile.parse("indefinitely\n")).hasValue(new PauseFile.Pause(Instant.MAX, PauseFile.BY_OPERATOR));
        assertThat(PauseFile.parse("2026-11-25T13:00:00Z")).hasValue(new PauseFile.Pause(Instant.parse("2026-11-25T13:00:00Z"),
                "gpfo pause"));
        assertThat(PauseFile.content(Optional.empty(), "gpfo pause")).isEqualTo("indefinitely\nby: gpfo pause\n");
        String byRejoin = PauseFile.content(Optional.of(Instant.parse("2026-11-25T14:00:00Z")), "gpfo rejoin");
        assertThat(PauseFile.parse(byRejoin)).hasValue(new PauseFile.Pause(Instant.parse("2026-11-25T14:00:00Z"), "gpfo rejoin"));
        assertThat(PauseFile.parse("garbage\nby: gpfo switchover")).hasValue(new PauseFile.Pause(Instant.MAX, "gpfo switchover"));
        assertThat(PauseFile.read(dir)).isEmpty();
    }

    @Test
    void resumeMarker() throws Exception {
        assertThat(PauseFile.resumeRequested(dir)).isFalse();
        Files.writeString(dir.resolve(PauseFile.RESUME_FILE_NAME), "");
        assertThat(PauseFile.resumeRequested(dir)).isTrue();
        PauseFile.clearResumeRequest(dir);
        assertThat(PauseFile.resumeRequested(dir)).isFalse();
    }
}
