package io.gpfo.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {

    @TempDir
    Path dir;

    static EventRecord record(int n) {
        return new EventRecord(Instant.parse("2026-11-25T12:00:00Z").plusSeconds(n), "smdw", EventRecord.Kind.ALERT,
                "coordinator-suspect", "warning", "mdw silent, round " + n, Optional.empty(), Optional.empty());
    }

    @Test
    void appendsOneJsonObjectALineAndReadsThemBack() throws Exception {
        EventLog log = new EventLog(dir);
        EventRecord action = new EventRecord(Instant.parse("2026-11-25T12:00:03Z"), "smdw", EventRecord.Kind.ACTION, "promote",
                "info", "this host is the new coordinator", Optional.of(EventRecord.Result.OK), Optional.empty());
        EventRecord command = new EventRecord(Instant.parse("2026-11-25T12:00:04Z"), "mdw", EventRecord.Kind.COMMAND, "pause",
                "info", "paused indefinitely", Optional.empty(), Optional.of("gpadmin"));

        log.append(record(1));
        log.append(action);
        log.append(command);

        assertThat(log.read()).containsExactly(record(1), action, command);
        assertThat(Files.readAllLines(log.file())).hasSize(3).first().asString()
                .isEqualTo("{\"at\":\"2026-11-25T12:00:01Z\",\"host\":\"smdw\",\"kind\":\"alert\",\"event\":\"coordinator-suspect\","
                        + "\"severity\":\"warning\",\"message\":\"mdw silent, round 1\"}");
    }

    @Test
    void aLineTornByACrashIsSkippedNotFatal() throws Exception {
        EventLog log = new EventLog(dir);
        log.append(record(1));
        Files.writeString(log.file(), "{\"at\":\"2026-11-25T12:00:02Z\",\"host\":\"sm", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        assertThat(log.read()).containsExactly(record(1));
        log.append(record(3)); // starts a line of its own: the torn one stays skipped, this one reads
        assertThat(log.read()).containsExactly(record(1), record(3));
    }

    @Test
    void rotatesBySizeKeepingOnePreviousFile() throws Exception {
        EventLog log = new EventLog(dir, 400);
        for (int n = 0; n < 20; n++) {
            log.append(record(n));
        }

        assertThat(Files.size(log.file())).isLessThan(400 + 200);
        assertThat(Files.exists(dir.resolve(EventLog.FILE_NAME + ".1"))).isTrue();
        assertThat(Files.list(dir)).hasSize(2);
        var read = log.read();
        assertThat(read).last().isEqualTo(record(19));
        assertThat(read).isSortedAccordingTo(java.util.Comparator.comparing(EventRecord::at));
        assertThat(read.size()).isLessThan(20);
    }

    @Test
    void foreignLinesAreNoRecords() {
        assertThat(EventLog.parse("")).isEmpty();
        assertThat(EventLog.parse("[]")).isEmpty();
        assertThat(EventLog.parse("{\"at\":\"yesterday\"}")).isEmpty();
        assertThat(EventLog.parse("not json")).isEmpty();
    }
}
