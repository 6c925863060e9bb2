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

    /**
     * Goes on with {@code yes}, or when the person at the terminal confirms; otherwise refuses
     * (exit 3): not confirmed, or nobody can confirm without a terminal.
     */
    static void require(List<String> plan, String question, boolean yes, PrintWriter err) {
        if (yes) {
            return;
        }
        if (!ask(plan, question, err)) {
            throw new GpfoException(ExitCode.REFUSED, interactive()
                    ? "not confirmed; nothing was changed"
                    : "refusing without --yes: not on a terminal, so nobody can confirm; nothing was changed");
        }
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
