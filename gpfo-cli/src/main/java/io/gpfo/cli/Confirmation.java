package io.gpfo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Asks a person to confirm a destructive action on a real terminal (jline). A dumb terminal —
 * no tty, as under ssh without -t, cron or CI — means nobody can answer: the answer is no.
 */
final class Confirmation {

    private Confirmation() {
    }

    /** Whether a person can answer: stdin and stdout are a terminal. */
    static boolean interactive() {
        return System.console() != null;
    }

    static boolean ask(List<String> plan, String question, PrintWriter err) {
        if (!interactive()) {
            return false;
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            if (terminal.getType().startsWith("dumb")) {
                return false;
            }
            plan.forEach(err::println);
            err.flush();
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            String answer = reader.readLine(question).strip();
            return answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes");
        } catch (UserInterruptException | EndOfFileException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
