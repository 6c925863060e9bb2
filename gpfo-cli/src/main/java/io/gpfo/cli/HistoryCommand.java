package io.gpfo.cli;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpfo.config.Durations;
import io.gpfo.history.EventLog;
import io.gpfo.history.EventRecord;
import io.gpfo.history.History;
import io.gpfo.port.Text;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "history", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCode.LIST_HEADING,
        exitCodeList = {ExitCode.OK_ENTRY, ExitCode.FAILED_ENTRY, ExitCode.USAGE_ENTRY, ExitCode.INTERRUPTED_ENTRY},
        description = "What the agents raised, decided and did, and which operator ran which command, on both hosts,"
                + " merged by time (from each host's events.jsonl), on any host with the config and SSH to both. Exit 1 when the other's log could not be read (this"
                + " host's is shown).")
final class HistoryCommand extends ConfiguredCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The events as they were, yet safe on a terminal: JSON escapes C0 controls already; this escapes C1 and
     * bidi overrides too (every non-ASCII character, which a JSON reader reads back the same).
     */
    private static final ObjectWriter TERMINAL_SAFE_JSON = JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    @Mixin
    JsonOption json;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "The newest N events (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--since", paramLabel = "TIME", description = "Only events since TIME: an instant (2026-11-30T10:00:00Z) or"
            + " a duration back from now (30m, 2h).")
    String since;

    HistoryCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new GpfoException(ExitCode.USAGE, "--limit " + limit + " is not a positive number of events");
        }
        Optional<Instant> from = since == null ? Optional.empty() : Optional.of(instant(since));
        Wiring wiring = Wiring.observing(loadConfig(), services);
        History.Merged merged = History.read(wiring.access);
        List<EventRecord> events = History.select(merged.events(), from, limit);
        if (json.json) {
            ObjectNode root = JSON.createObjectNode();
            ArrayNode list = root.putArray("events");
            for (EventRecord event : events) {
                list.add(JSON.readTree(EventLog.line(event)));
            }
            merged.peerUnavailable().ifPresentOrElse(why -> root.put("peer_unavailable", why), () -> root.putNull("peer_unavailable"));
            out().println(TERMINAL_SAFE_JSON.writeValueAsString(root));
        } else {
            events.forEach(event -> out().println(line(event)));
            merged.peerUnavailable().ifPresent(why -> err().println(Text.line("gpfo: only this host's events: " + why)));
        }
        return merged.peerUnavailable().isPresent() ? ExitCode.FAILED : ExitCode.OK;
    }

    /** One event a line: time, host, kind, event, severity or result, who, what; the peer wrote it, so {@link Text#line}. */
    static String line(EventRecord event) {
        String how = event.result().map(result -> result.label()).orElse(event.severity());
        String who = event.user().map(user -> " by " + user).orElse("");
        return Text.line(String.format("%-24s %-6s %-8s %-26s %-9s %s%s", event.at(), event.host(), event.kind().label(), event.event(), how,
                event.message(), who));
    }

    private Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            return Durations.parse(text).map(back -> services.clock().now().minus(back)).orElseThrow(() -> new GpfoException(
                    ExitCode.USAGE, "--since '" + text + "' is neither an instant (2026-11-30T10:00:00Z) nor a duration (30m, 2h)"));
        }
    }
}
