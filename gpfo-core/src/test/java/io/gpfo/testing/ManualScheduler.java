package io.gpfo.testing;

import io.gpfo.port.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/** A {@link Scheduler} whose tasks run only when a test says so, in the order of their delays: no threads, no waiting. */
public final class ManualScheduler implements Scheduler {

    private record Task(Duration delay, FutureTask<Void> future) {
    }

    private final List<Task> tasks = new ArrayList<>();

    @Override
    public synchronized Future<?> after(Duration delay, Runnable task) {
        FutureTask<Void> future = new FutureTask<>(task, null);
        tasks.add(new Task(delay, future));
        return future;
    }

    /** The delays of the tasks neither run nor cancelled, in the order they were scheduled. */
    public synchronized List<Duration> pending() {
        return tasks.stream().filter(task -> !task.future().isDone()).map(Task::delay).toList();
    }

    /** Runs the soonest task scheduled so far (a cancelled one does nothing). */
    public void runFirst() {
        Task first;
        synchronized (this) {
            first = tasks.stream().min((a, b) -> a.delay().compareTo(b.delay())).orElseThrow();
            tasks.remove(first);
        }
        first.future().run();
    }

    /** Runs every task scheduled so far, soonest first; a cancelled one does nothing, as a timer's would. */
    public void runAll() {
        List<Task> due;
        synchronized (this) {
            due = new ArrayList<>(tasks);
            tasks.clear();
        }
        due.sort((a, b) -> a.delay().compareTo(b.delay()));
        due.forEach(task -> task.future().run());
    }
}
