package io.gpfo.decision;

import java.util.Locale;

/**
 * An event for operators (design.md §7). {@code key} names a persisting condition, repeated every
 * {@code alerts.repeat} while it lasts; null for one-off events.
 */
public record Alert(String key, Severity severity, String event, String message) {

    public enum Severity {
        INFO, WARNING, CRITICAL, EMERGENCY;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
