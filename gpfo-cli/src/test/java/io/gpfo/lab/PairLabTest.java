package io.gpfo.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

/**
 * A lab class whose tests run the agent pair under a client's {@link PrimaryWatch}: each test's agents stop
 * after it, whatever it did; the lab goes down after the class, also when a test failed.
 */
abstract class PairLabTest {

    /** What the client sampled of both coordinators since the pair started; set by each test. */
    protected PrimaryWatch watch;

    @AfterEach
    void stopAgents() {
        if (watch != null) {
            watch.close();
        }
        Lab.agents("stop");
    }

    @AfterAll
    static void down() {
        Lab.lab(Duration.ofMinutes(2), "down");
    }

    protected void assertNoSecondPrimary() {
        assertThat(watch.violations()).as("two primaries served at once (%d samples of both)", watch.samples()).isEmpty();
    }
}
