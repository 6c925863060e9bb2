package io.gpfo.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;

/** A real terminal redrawn in place with jline's Display (only what changed), for the live views. */
final class Screen implements AutoCloseable {

    private final Terminal terminal;
    private final Display display;

    private Screen(Terminal terminal) {
        this.terminal = terminal;
        this.display = new Display(terminal, true);
    }

    /** The terminal, or empty when it cannot redraw (dumb, or not a terminal): then print lines instead. */
    static Optional<Screen> open() {
        try {
            Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build();
            if (terminal.getType().startsWith("dumb")) {
                terminal.close();
                return Optional.empty();
            }
            return Optional.of(new Screen(terminal));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    int width() {
        int columns = terminal.getSize().getColumns();
        return columns > 0 ? columns : 120;
    }

    void draw(List<String> lines) {
        Size size = terminal.getSize();
        display.resize(size.getRows() > 0 ? size.getRows() : 40, width());
        display.update(lines.stream().map(AttributedString::new).toList(), -1);
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
