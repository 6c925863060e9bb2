package io.gpfo.cli;

import io.gpfo.agent.Agent;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Draws {@link AgentView} on a real terminal with jline's Display (redrawing only what changed),
 * and keeps the agent's log lines as the view's "last events" instead of scrolling them by.
 */
final class LiveView implements AutoCloseable {

    private static final int EVENTS = 8;

    private final Screen screen;
    private final String localHost;
    private final String peerHost;
    private final Deque<String> events = new ArrayDeque<>();
    private final PrintWriter log = new PrintWriter(new Writer() {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (buffer[i] == '\n') {
                    remember(line.toString());
                    line.setLength(0);
                } else {
                    line.append(buffer[i]);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }, true);

    private LiveView(Screen screen, String localHost, String peerHost) {
        this.screen = screen;
        this.localHost = localHost;
        this.peerHost = peerHost;
    }

    /** A live view on the terminal, or null when the terminal cannot draw one (dumb). */
    static LiveView open(Wiring wiring) {
        return Screen.open().map(screen -> new LiveView(screen, wiring.access.host(wiring.local()),
                wiring.access.host(wiring.peer()))).orElse(null);
    }

    PrintWriter log() {
        return log;
    }

    private void remember(String line) {
        synchronized (events) {
            events.addLast(line);
            while (events.size() > EVENTS) {
                events.removeFirst();
            }
        }
    }

    void show(Agent.Snapshot snapshot) {
        List<String> lastEvents;
        synchronized (events) {
            lastEvents = new ArrayList<>(events);
        }
        screen.draw(AgentView.render(localHost, peerHost, snapshot, lastEvents, screen.width()));
    }

    @Override
    public void close() {
        screen.close();
    }
}
