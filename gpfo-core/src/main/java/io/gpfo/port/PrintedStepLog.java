package io.gpfo.port;

import java.util.function.Consumer;

/**
 * Steps as the commands print them, one line each: {@code OK      step}, {@code FAILED  step: why},
 * and notes indented to the same column. One format for every command and for the tests that read it.
 * What a step quotes (a peer's stderr, an exception's message) stays on its line and drives no terminal ({@link Text}).
 */
public final class PrintedStepLog implements StepLog {

    private final Consumer<String> out;

    public PrintedStepLog(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void ok(String step) {
        out.accept(Text.line("OK      " + step));
    }

    @Override
    public void failed(String step, String why) {
        out.accept(Text.line("FAILED  " + step + ": " + why));
    }

    @Override
    public void note(String text) {
        out.accept(Text.line("        " + text));
    }
}
