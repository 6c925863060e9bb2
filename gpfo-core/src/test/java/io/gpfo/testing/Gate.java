package io.gpfo.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a fake's answer back until the test opens it: a probe that hangs (a TCP session cut
 * mid-way, a dead host's SSH). Bounded, so a test that forgets to open it cannot hang the build.
 */
public final class Gate implements AutoCloseable {

    private static final long LONGEST_HOLD_SECONDS = 60;

    private final CountDownLatch open = new CountDownLatch(1);

    /** Blocks the calling probe until {@link #open()}; true when it was opened, false when the bound ran out. */
    public boolean pass() {
        try {
            return open.await(LONGEST_HOLD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void open() {
        open.countDown();
    }

    @Override
    public void close() {
        open();
    }
}
