package io.gpfo.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * {@code <state.directory>/state.json}: written atomically (temporary file, fsync, rename,
 * fsync of the directory) so a crash leaves the old or the new journal, never half of one; and
 * {@code agent.lock}, held for the agent's life so only one agent runs per host.
 */
public final class JournalStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;

    public JournalStore(Path directory) {
        this.directory = directory;
    }

    public Path file() {
        return directory.resolve("state.json");
    }

    public Optional<Journal> read() throws IOException {
        String text;
        try {
            text = Files.readString(file());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IOException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String why = cause.getMessage() == null ? cause.toString() : cause.getMessage().lines().findFirst().orElse("");
            throw new IOException(file() + " is not a gpfo journal (" + why + "); move it away to start afresh", e);
        }
    }

    public void write(Journal journal) throws IOException {
        Files.createDirectories(directory);
        Path temporary = directory.resolve("state.json.tmp");
        byte[] bytes = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(journal)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(bytes));
            channel.force(true);
        }
        try {
            Files.move(temporary, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename atomically in " + directory + ": " + e.getMessage(), e);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // some file systems refuse to open a directory for fsync; the rename is still atomic
        }
    }

    /** Takes the agent lock, or empty when another agent holds it. Keep the lock for the agent's life. */
    public Optional<FileLock> lock() throws IOException {
        Files.createDirectories(directory);
        FileChannel channel = FileChannel.open(directory.resolve("agent.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this very JVM (a second agent in one process): as taken as by another
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        return Optional.of(lock);
    }

    /** The file's fields stay flat and keep their names, so journals written by earlier versions still read. */
    /** A journal's text, e.g. the peer's state.json read over SSH. */
    public static Journal parse(String text) throws IOException {
        try {
            return fromJson(JSON.readTree(text));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new IOException("not a gpfo journal: " + e.getMessage(), e);
        }
    }

    static ObjectNode toJson(Journal journal) {
        ObjectNode root = JSON.createObjectNode();
        root.put("phase", journal.phase().label());
        root.put("since", journal.since().toString());
        Journal.Health health = journal.health();
        root.put("consecutive_failures", health.consecutiveFailures());
        root.put("last_healthy_at", health.lastHealthyAt().map(Instant::toString).orElse(null));
        if (health.lastLagBytes().isEmpty()) {
            root.putNull("last_lag_bytes");
        } else {
            root.put("last_lag_bytes", health.lastLagBytes().getAsLong());
        }
        root.put("fence_pending_host", journal.promotions().fencePendingHost().orElse(null));
        root.put("promotions", journal.promotions().count());
        Journal.Activity activity = journal.activity();
        root.put("last_decision", activity.lastDecision());
        root.put("last_event", activity.lastEvent().orElse(null));
        root.put("last_event_at", activity.lastEventAt().map(Instant::toString).orElse(null));
        ObjectNode alerts = root.putObject("alerts_sent");
        journal.alertsSent().forEach((key, at) -> alerts.put(key, at.toString()));
        return root;
    }

    static Journal fromJson(JsonNode root) {
        Map<String, Instant> alerts = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.path("alerts_sent").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            alerts.put(field.getKey(), Instant.parse(field.getValue().asText()));
        }
        Journal.Health health = new Journal.Health(root.path("consecutive_failures").asInt(0), instant(root.get("last_healthy_at")),
                root.hasNonNull("last_lag_bytes") ? OptionalLong.of(root.get("last_lag_bytes").asLong()) : OptionalLong.empty());
        Journal.Promotions promotions = new Journal.Promotions(root.path("promotions").asInt(0),
                text(root.get("fence_pending_host")));
        Journal.Activity activity = new Journal.Activity(text(root.get("last_decision")).orElse(""), text(root.get("last_event")),
                instant(root.get("last_event_at")));
        return new Journal(Phase.valueOf(root.get("phase").asText().toUpperCase(java.util.Locale.ROOT)),
                instant(root.get("since")).orElseThrow(() -> new IllegalArgumentException("no 'since'")), health, promotions,
                activity, alerts);
    }

    private static Optional<Instant> instant(JsonNode node) {
        return text(node).map(Instant::parse);
    }

    private static Optional<String> text(JsonNode node) {
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }
}
