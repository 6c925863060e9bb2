package io.gpfo.cli;

import io.gpfo.agent.Agent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;

/**
 * Draws {@link AgentView} on a real terminal with jline's Display (redrawing only what changed),
 * and keeps the agent's log lines as the view's "last events" instead of scrolling them by.
 */
final class LiveView implements AutoCloseable {

    private static final int EVENTS = 8;

    private final Terminal terminal;
    private final Display display;
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

    private LiveView(Terminal terminal, String localHost, String peerHost) {
        this.terminal = terminal;
        this.display = new Display(terminal, true);
        this.localHost = localHost;
        this.peerHost = peerHost;
    }

    /** A live view on the terminal, or null when the terminal cannot draw one (dumb). */
    static LiveView open(Wiring wiring) {
        try {
            Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build();
            if (terminal.getType().startsWith("dumb")) {
                terminal.close();
                return null;
            }
            return new LiveView(terminal, wiring.access.host(wiring.local()), wiring.access.host(wiring.peer()));
        } catch (IOException e) {
            return null;
        }
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
        Size size = terminal.getSize();
        int width = size.getColumns() > 0 ? size.getColumns() : 120;
        display.resize(size.getRows() > 0 ? size.getRows() : 40, width);
        List<String> lastEvents;
        synchronized (events) {
            lastEvents = new ArrayList<>(events);
        }
        display.update(AgentView.render(localHost, peerHost, snapshot, lastEvents, width).stream()
                .map(AttributedString::new).toList(), -1);
        terminal.flush();
    }

    @Override
    public void close() {
        try {
            terminal.close();
        } catch (IOException ignored) {
            // the terminal is going away with the process
        }
    }
}
