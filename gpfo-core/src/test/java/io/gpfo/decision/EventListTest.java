package io.gpfo.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's event table is what a hook author reads: it must list exactly the events gpfo raises. */
class EventListTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| ([a-z]+) \\| (once|repeats) \\|.*$");

    @Test
    void theReadmeListsEveryEventWithItsSeverityAndRepetition() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        int start = readme.indexOf("### Events (`GPFO_EVENT`)");
        assertThat(start).as("README has an events section").isPositive();

        List<String> documented = readme.subList(start, readme.size()).stream().map(ROW::matcher).filter(Matcher::matches)
                .map(row -> row.group(1) + " " + row.group(2) + " " + row.group(3)).toList();
        List<String> raised = Arrays.stream(Event.values())
                .map(event -> event.key() + " " + event.severity().label() + " " + (event.persisting() ? "repeats" : "once"))
                .toList();

        assertThat(documented).containsExactlyElementsOf(raised);
    }

    @Test
    void keysAreUniqueAndFoundAgain() {
        for (Event event : Event.values()) {
            assertThat(Event.ofKey(event.key())).hasValue(event);
        }
        assertThat(Event.ofKey("no-such-event")).isEmpty();
    }
}
