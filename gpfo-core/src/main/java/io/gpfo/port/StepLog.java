package io.gpfo.port;

/** Where each step of an operation reports, one line each: OK, FAILED, or a note. */
public interface StepLog {

    void ok(String step);

    void failed(String step, String why);

    void note(String text);
}
