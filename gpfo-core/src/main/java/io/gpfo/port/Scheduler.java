package io.gpfo.port;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Runs a task once, after a delay, off the caller's thread: a daemon thread in production, by hand in unit tests. */
public interface Scheduler {

    /** @return the task's future: cancelling it keeps a task that has not started from running */
    Future<?> after(Duration delay, Runnable task);

    /** One daemon thread (it never holds the JVM up), made when first needed: a process that schedules nothing has none. */
    static Scheduler daemon(String threadName) {
        return new Scheduler() {
            private ScheduledThreadPoolExecutor executor;

            @Override
            public synchronized Future<?> after(Duration delay, Runnable task) {
                if (executor == null) {
                    executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                        Thread thread = new Thread(runnable, threadName);
                        thread.setDaemon(true);
                        return thread;
                    });
                    executor.setRemoveOnCancelPolicy(true);
                }
                return executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        };
    }
}
