package io.gpfo.testing;

import io.gpfo.port.StepLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link StepLog} that keeps the lines as gpfo prints them ("OK      step", "FAILED  step: why", a note indented). */
public final class RecordingStepLog implements StepLog {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void ok(String step) {
        lines.add("OK      " + step);
    }

    @Override
    public void failed(String step, String why) {
        lines.add("FAILED  " + step + ": " + why);
    }

    @Override
    public void note(String text) {
        lines.add("        " + text);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public void clear() {
        lines.clear();
    }
}
