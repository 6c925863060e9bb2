package io.gpfo.testing;

import io.gpfo.port.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link Clock} that never waits: sleeping moves its time forward, so loops with deadlines run at once. */
public final class FakeClock implements Clock {

    private final AtomicReference<Instant> now;

    public FakeClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant now() {
        return now.get();
    }

    @Override
    public void sleep(Duration duration) {
        advance(duration);
    }

    public void advance(Duration duration) {
        now.updateAndGet(time -> time.plus(duration));
    }
}
