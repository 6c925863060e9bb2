package io.gpfo.decision;

import java.util.Locale;

/** One alert for operators: which {@link Event}, and the sentence with this round's evidence. */
public record Alert(Event event, String message) {

    public Severity severity() {
        return event.severity();
    }

    public enum Severity {
        INFO, WARNING, CRITICAL, EMERGENCY;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
