package io.gpfo.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.decision.Alert.Severity;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogLevelPrefixTest {

    @Test
    void stdoutThatIsTheJournalStreamGetsSdDaemonPrefixes() {
        LogLevelPrefix prefix = LogLevelPrefix.detect(Map.of("JOURNAL_STREAM", "8:123456"), Optional.of("socket:[123456]"));

        assertThat(prefix).isEqualTo(LogLevelPrefix.SD_DAEMON);
        assertThat(prefix.of(Severity.INFO)).isEqualTo("<6>");
        assertThat(prefix.of(Severity.WARNING)).isEqualTo("<4>");
        assertThat(prefix.of(Severity.CRITICAL)).isEqualTo("<2>");
        assertThat(prefix.of(Severity.EMERGENCY)).isEqualTo("<0>");
    }

    @Test
    void anInheritedJournalStreamOrNoneMeansPlainLines() {
        // a child of a service whose stdout was redirected: JOURNAL_STREAM names another socket
        assertThat(LogLevelPrefix.detect(Map.of("JOURNAL_STREAM", "8:123456"), Optional.of("socket:[999]")))
                .isEqualTo(LogLevelPrefix.NONE);
        assertThat(LogLevelPrefix.detect(Map.of("JOURNAL_STREAM", "8:123456"), Optional.of("/dev/pts/0")))
                .isEqualTo(LogLevelPrefix.NONE);
        assertThat(LogLevelPrefix.detect(Map.of(), Optional.of("socket:[123456]"))).isEqualTo(LogLevelPrefix.NONE);
        assertThat(LogLevelPrefix.detect(Map.of("JOURNAL_STREAM", "garbage"), Optional.empty())).isEqualTo(LogLevelPrefix.NONE);
        assertThat(LogLevelPrefix.NONE.of(Severity.EMERGENCY)).isEmpty();
    }
}
