package io.gpfo.testing;

import io.gpfo.port.PrintedStepLog;
import io.gpfo.port.StepLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link StepLog} that keeps the lines as gpfo prints them ("OK      step", "FAILED  step: why", a note indented). */
public final class RecordingStepLog implements StepLog {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final StepLog printed = new PrintedStepLog(lines::add);

    @Override
    public void ok(String step) {
        printed.ok(step);
    }

    @Override
    public void failed(String step, String why) {
        printed.failed(step, why);
    }

    @Override
    public void note(String text) {
        printed.note(text);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public void clear() {
        lines.clear();
    }
}
