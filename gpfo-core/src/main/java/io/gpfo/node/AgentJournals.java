package io.gpfo.node;

import io.gpfo.port.CommandResult;
import io.gpfo.ssh.SshException;
import io.gpfo.state.Journal;
import io.gpfo.state.JournalStore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads a coordinator host's agent journal: this host's from its state directory, another's over
 * SSH. One way for everything that shows or judges both agents (status, switchover).
 */
public final class AgentJournals {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private AgentJournals() {
    }

    /**
     * A journal as read: empty with no problem when no agent ever ran there; empty with the problem
     * when it could not be read.
     */
    public record Read(Optional<Journal> journal, String problem) {
        public boolean readable() {
            return problem.isEmpty();
        }
    }

    public static Read read(NodeAccess access, NodeName node) {
        if (access.isLocal(node)) {
            try {
                return new Read(new JournalStore(access.config().state().directory()).read(), "");
            } catch (IOException e) {
                return new Read(Optional.empty(), String.valueOf(e.getMessage()));
            }
        }
        String file = access.config().state().directory().resolve("state.json").toString();
        try {
            CommandResult result = access.run(node, List.of("sh", "-c", "[ ! -e \"$1\" ] || cat \"$1\"", "journal", file), TIMEOUT);
            if (!result.ok()) {
                return new Read(Optional.empty(), result.failureSummary());
            }
            return new Read(result.stdout().isBlank() ? Optional.empty() : Optional.of(JournalStore.parse(result.stdout())), "");
        } catch (SshException | IOException e) {
            return new Read(Optional.empty(), String.valueOf(e.getMessage()));
        }
    }
}
