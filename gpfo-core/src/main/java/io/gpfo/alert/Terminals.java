package io.gpfo.alert;

import java.util.List;

/** Port: the terminals people are logged in on here (utmp), and whether this process may write to each. */
public interface Terminals {

    List<Terminal> loggedIn();

    /** A login session's terminal: {@code pts/3}, its user, and whether a message from us can reach it. */
    record Terminal(String line, String user, boolean acceptsMessages) {
    }

    /**
     * Why {@code wall} would reach nobody, when people are logged in and none of their terminals
     * takes messages from this process (mesg n, or the agent is not in group tty); empty otherwise.
     */
    static java.util.Optional<String> nobodyReachable(List<Terminal> terminals) {
        if (terminals.isEmpty() || terminals.stream().anyMatch(Terminal::acceptsMessages)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(terminals.size() + " terminal(s) logged in ("
                + String.join(", ", terminals.stream().map(t -> t.user() + " on " + t.line()).toList())
                + "), none takes messages from gpfo (mesg n, or gpfo is not in group tty)");
    }
}
