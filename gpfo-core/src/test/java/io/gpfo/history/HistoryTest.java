package io.gpfo.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HistoryTest {

    static EventRecord at(String host, int second, String event) {
        return new EventRecord(Instant.parse("2026-11-30T11:00:00Z").plusSeconds(second), host, EventRecord.Kind.ALERT, event,
                "warning", event + " on " + host, Optional.empty(), Optional.empty());
    }

    @Test
    void bothHostsLogsMergeByTime() {
        List<EventRecord> mdw = List.of(at("mdw", 1, "a"), at("mdw", 5, "c"));
        List<EventRecord> smdw = List.of(at("smdw", 3, "b"), at("smdw", 5, "d"), at("smdw", 9, "e"));

        assertThat(History.merge(mdw, smdw)).extracting(EventRecord::event).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void theNewestNSinceATime() {
        List<EventRecord> all = List.of(at("mdw", 1, "a"), at("mdw", 2, "b"), at("mdw", 3, "c"), at("mdw", 4, "d"));

        assertThat(History.select(all, Optional.empty(), 2)).extracting(EventRecord::event).containsExactly("c", "d");
        assertThat(History.select(all, Optional.of(Instant.parse("2026-11-30T11:00:02Z")), 10)).extracting(EventRecord::event)
                .containsExactly("b", "c", "d");
        assertThat(History.select(all, Optional.of(Instant.parse("2026-11-30T12:00:00Z")), 10)).isEmpty();
    }
}
