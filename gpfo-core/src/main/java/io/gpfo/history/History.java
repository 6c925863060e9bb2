package io.gpfo.history;

import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.port.CommandResult;
import io.gpfo.ssh.SshException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Both hosts' event logs, merged by time: what 'gpfo history' and 'gpfo status' show. This host's log
 * is read from disk, the peer's over SSH; a peer that cannot be asked is said, not hidden.
 */
public final class History {

    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(10);

    private History() {
    }

    /** The merged events and, when the peer's log could not be read, why. */
    public record Merged(List<EventRecord> events, Optional<String> peerUnavailable) {
    }

    /** Both coordinator hosts' logs: this host's from disk, the other's (an observer's: both) over SSH. */
    public static Merged read(NodeAccess access) throws IOException {
        List<EventRecord> events = List.of();
        List<String> unavailable = new ArrayList<>();
        for (NodeName node : NodeName.values()) {
            if (access.isLocal(node)) {
                events = merge(events, new EventLog(access.config().state().directory()).read());
            } else {
                RemoteLog remote = remote(access, node);
                events = merge(events, remote.events());
                remote.unavailable().ifPresent(unavailable::add);
            }
        }
        return new Merged(events, unavailable.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", unavailable)));
    }

    private record RemoteLog(List<EventRecord> events, Optional<String> unavailable) {
    }

    private static RemoteLog remote(NodeAccess access, NodeName node) {
        String file = access.config().state().directory().resolve(EventLog.FILE_NAME).toString();
        try {
            // cat fails on the log that does not exist yet (not rotated); what it printed is still the log
            CommandResult result = access.run(node, List.of("sh", "-c", "cat \"$1.1\" \"$1\" 2>/dev/null; exit 0", "history",
                    file), PEER_TIMEOUT);
            if (!result.ok()) {
                return new RemoteLog(List.of(), Optional.of("reading " + access.host(node) + "'s event log failed: "
                        + result.failureSummary()));
            }
            return new RemoteLog(result.stdout().lines().map(EventLog::parse).flatMap(Optional::stream).toList(), Optional.empty());
        } catch (SshException e) {
            return new RemoteLog(List.of(), Optional.of(access.host(node) + " cannot be asked: " + e.getMessage()));
        }
    }

    /** Both lists in one, ordered by time (a stable sort: one host's own order is kept on equal times). */
    public static List<EventRecord> merge(List<EventRecord> first, List<EventRecord> second) {
        List<EventRecord> all = new ArrayList<>(first);
        all.addAll(second);
        all.sort(Comparator.comparing(EventRecord::at));
        return List.copyOf(all);
    }

    /** The newest {@code limit} events at or after {@code since}, oldest first. */
    public static List<EventRecord> select(List<EventRecord> events, Optional<Instant> since, int limit) {
        List<EventRecord> after = events.stream().filter(event -> since.map(at -> !event.at().isBefore(at)).orElse(true)).toList();
        return after.subList(Math.max(0, after.size() - limit), after.size());
    }
}
