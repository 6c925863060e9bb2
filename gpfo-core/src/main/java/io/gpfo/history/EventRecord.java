package io.gpfo.history;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One line of the event log: when, on which host, what kind of thing happened, its key (an
 * {@link io.gpfo.decision.Event} key, an action's name, or a command's), and the sentence. Actions
 * carry their result; operator commands the operating-system user who ran them.
 */
public record EventRecord(Instant at, String host, Kind kind, String event, String severity, String message,
        Optional<Result> result, Optional<String> user) {

    public enum Kind {
        /** An alert the decision raised. */
        ALERT,
        /** The decision's sentence changed. */
        DECISION,
        /** An action was carried out; {@code result} says how it went. */
        ACTION,
        /** An operator ran a command (pause, resume, promote, …); {@code user} says who. */
        COMMAND;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Result {
        OK, FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
