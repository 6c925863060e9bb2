package io.gpfo.testing;

import io.gpfo.promote.StepLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link StepLog} that keeps its lines ("OK step", "FAILED step: why", "NOTE text") for assertions. */
public final class RecordingStepLog implements StepLog {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void ok(String step) {
        lines.add("OK " + step);
    }

    @Override
    public void failed(String step, String why) {
        lines.add("FAILED " + step + ": " + why);
    }

    @Override
    public void note(String text) {
        lines.add("NOTE " + text);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }
}
