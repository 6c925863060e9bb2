package io.gpfo.install;

import io.gpfo.port.StepLog;
import java.util.ArrayList;
import java.util.List;

/** A {@link StepLog} that keeps the lines as gpfo prints them. */
final class RecordingLog implements StepLog {

    final List<String> lines = new ArrayList<>();

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
}
