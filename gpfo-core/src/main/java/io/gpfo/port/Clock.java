package io.gpfo.port;

import java.time.Duration;
import java.time.Instant;

/** Time as a port: the agent loop and timeouts read it here so tests can drive time. */
public interface Clock {

    Instant now();

    void sleep(Duration duration) throws InterruptedException;

    Clock SYSTEM = new Clock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }
    };
}
