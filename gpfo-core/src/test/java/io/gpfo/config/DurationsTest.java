package io.gpfo.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsSingleUnitsCompoundsAndDays() {
        assertThat(Durations.parse("500ms")).hasValue(Duration.ofMillis(500));
        assertThat(Durations.parse(" 2s ")).hasValue(Duration.ofSeconds(2));
        assertThat(Durations.parse("1m")).hasValue(Duration.ofMinutes(1));
        assertThat(Durations.parse("1h30m")).hasValue(Duration.ofMinutes(90));
        assertThat(Durations.parse("2m30s")).hasValue(Duration.ofSeconds(150));
        assertThat(Durations.parse("1s500ms")).hasValue(Duration.ofMillis(1500));
        assertThat(Durations.parse("1d")).hasValue(Duration.ofDays(1));
        assertThat(Durations.parse("1d2h3m4s5ms")).hasValue(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4).plusMillis(5));
        assertThat(Durations.parse("0s")).hasValue(Duration.ZERO);
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String text : new String[] {"", " ", "1", "1 second", "30m1h", "1h1h", "-1s", "1.5s", "1w", "s", "1msx"}) {
            assertThat(Durations.parse(text)).as("'%s'", text).isEmpty();
        }
    }

    @Test
    void formatsAsTheShortestCompoundThatReadsBack() {
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        Duration odd = Duration.ofDays(3).plusMinutes(7).plusMillis(9);
        assertThat(Durations.parse(Durations.format(odd))).hasValue(odd);
    }
}
