package io.gpfo.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * Watches, from the client, for the worst failure gpfo can cause: two coordinators serving at
 * once. Every few hundred milliseconds it asks mdw and smdw whether they are primaries; any
 * moment both answer "not in recovery" is recorded.
 */
final class PrimaryWatch implements AutoCloseable {

    private final Thread thread;
    private final List<String> violations = new ArrayList<>();
    private volatile boolean running = true;
    private int samples;

    PrimaryWatch() {
        thread = new Thread(this::watch, "primary-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            boolean mdw = primary("mdw");
            boolean smdw = primary("smdw");
            synchronized (violations) {
                samples++;
                if (mdw && smdw) {
                    violations.add(java.time.Instant.now() + ": mdw and smdw both serve as primaries");
                }
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean primary(String host) {
        return Lab.exec("client", "runuser", "-u", "gpadmin", "--", "env", "PGCONNECT_TIMEOUT=1", "psql", "-X", "-h", host, "-U",
                "gpadmin", "-d", "postgres", "-Atc", "select pg_is_in_recovery()").stdout().strip().equals("f");
    }

    /** Stops watching; the moments two primaries served, and how many samples were taken. */
    List<String> violations() {
        close();
        synchronized (violations) {
            if (samples < 3) {
                throw new AssertionError("the primary watch took only " + samples + " samples");
            }
            return List.copyOf(violations);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
