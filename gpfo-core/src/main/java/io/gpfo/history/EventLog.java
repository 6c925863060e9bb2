package io.gpfo.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The append-only event log {@code <state.directory>/events.jsonl}: one JSON object a line, for
 * tools (the benchmark, lab tests, {@code gpfo history}) instead of log prose. Rotated by size (the
 * current file becomes {@code events.jsonl.1}, replacing the one before), so it never fills a disk.
 * A line torn by a crash mid-write is skipped on reading, not fatal.
 */
public final class EventLog {

    public static final String FILE_NAME = "events.jsonl";
    /** Two files of this size at most: thousands of events each, a few hundred KiB on disk. */
    public static final long DEFAULT_MAX_BYTES = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Path previous;
    private final long maxBytes;

    public EventLog(Path stateDirectory) {
        this(stateDirectory, DEFAULT_MAX_BYTES);
    }

    public EventLog(Path stateDirectory, long maxBytes) {
        this.file = stateDirectory.resolve(FILE_NAME);
        this.previous = stateDirectory.resolve(FILE_NAME + ".1");
        this.maxBytes = maxBytes;
    }

    public Path file() {
        return file;
    }

    public synchronized void append(EventRecord record) throws IOException {
        Files.createDirectories(file.getParent());
        if (Files.exists(file) && Files.size(file) >= maxBytes) {
            Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        // after a crash mid-write the last line is torn: the next record starts a line of its own
        String start = endsTorn() ? "\n" : "";
        boolean created = !Files.exists(file);
        Files.writeString(file, start + line(record) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        if (created) {
            giveToDirectoryOwner();
        }
    }

    /**
     * An operator's command run as root may create the log: it still belongs to the state directory's
     * owner (the admin user), whose agent appends next. Not root: the file is the caller's already.
     */
    private void giveToDirectoryOwner() {
        try {
            UserPrincipal owner = Files.getOwner(file.getParent());
            if (!Files.getOwner(file).equals(owner)) {
                Files.setOwner(file, owner);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not permitted (not root) or no owners here: the file stays the caller's
        }
    }

    private boolean endsTorn() throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return false;
        }
        try (RandomAccessFile tail = new RandomAccessFile(file.toFile(), "r")) {
            tail.seek(tail.length() - 1);
            return tail.read() != '\n';
        }
    }

    /** Every readable record, oldest first (the rotated file, then the current one). */
    public List<EventRecord> read() throws IOException {
        List<EventRecord> records = new ArrayList<>();
        for (Path path : List.of(previous, file)) {
            try {
                Files.readAllLines(path, StandardCharsets.UTF_8).forEach(text -> parse(text).ifPresent(records::add));
            } catch (NoSuchFileException e) {
                // not written yet, or never rotated
            }
        }
        return records;
    }

    public static String line(EventRecord record) {
        ObjectNode node = JSON.createObjectNode();
        node.put("at", record.at().toString());
        node.put("host", record.host());
        node.put("kind", record.kind().label());
        node.put("event", record.event());
        node.put("severity", record.severity());
        node.put("message", record.message());
        record.result().ifPresent(result -> node.put("result", result.label()));
        record.user().ifPresent(user -> node.put("user", user));
        return node.toString();
    }

    /** A line back into a record; empty for a torn or foreign line. */
    public static Optional<EventRecord> parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new EventRecord(Instant.parse(node.get("at").asText()), node.get("host").asText(),
                    EventRecord.Kind.valueOf(node.get("kind").asText().toUpperCase(Locale.ROOT)), node.get("event").asText(),
                    node.get("severity").asText(), node.get("message").asText(),
                    Optional.ofNullable(node.get("result")).map(result -> EventRecord.Result.valueOf(result.asText()
                            .toUpperCase(Locale.ROOT))),
                    Optional.ofNullable(node.get("user")).map(JsonNode::asText)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
