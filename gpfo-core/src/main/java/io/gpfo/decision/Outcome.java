package io.gpfo.decision;

import io.gpfo.state.Journal;
import java.util.List;

/** A round's decision: the next journal, the actions to carry out, the alerts to send, and why. */
public record Outcome(Journal journal, List<Action> actions, List<Alert> alerts, String reason) {
}
