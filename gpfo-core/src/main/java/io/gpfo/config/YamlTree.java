package io.gpfo.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document as a tree whose every node knows its line and column. Jackson parses; we keep
 * the positions, because binding straight to records stops at the first error while an operator
 * wants every mistake in the file at once, each with its line and column.
 */
final class YamlTree {

    record Mark(int line, int column) {
        static Mark of(JsonLocation location) {
            return new Mark(location.getLineNr(), location.getColumnNr());
        }
    }

    sealed interface Node permits MapNode, ListNode, Scalar {
        Mark mark();

        default String kind() {
            if (this instanceof MapNode) {
                return "a mapping";
            }
            if (this instanceof ListNode) {
                return "a list";
            }
            return ((Scalar) this).isNull() ? "null" : "a scalar";
        }
    }

    record Entry(Mark keyMark, Node value) {
    }

    record MapNode(Mark mark, Map<String, Entry> entries) implements Node {
    }

    record ListNode(Mark mark, List<Node> items) implements Node {
    }

    /** A scalar keeps its source text and whether YAML typed it as null, number or text. */
    record Scalar(Mark mark, String text, JsonToken token) implements Node {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        boolean isText() {
            return token == JsonToken.VALUE_STRING;
        }
    }

    /** Thrown for YAML that does not parse at all; the caller turns it into one config error. */
    static final class SyntaxError extends Exception {
        final Mark mark;

        SyntaxError(Mark mark, String message) {
            super(message);
            this.mark = mark;
        }
    }

    /** Deeper than any real gpfo.yaml (3 levels) by far; a bound keeps a hostile file from overflowing the stack. */
    static final int MAX_DEPTH = 32;

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final List<String> duplicateKeys = new ArrayList<>();
    private final List<Mark> duplicateMarks = new ArrayList<>();

    /**
     * Parses a single document; null for an empty one. Duplicate keys are collected, not fatal; a
     * second document ({@code ---}) is an error, since gpfo would otherwise silently ignore it.
     */
    static Parsed parse(String yaml) throws SyntaxError {
        YamlTree tree = new YamlTree();
        try (JsonParser parser = FACTORY.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            Node root = first == null ? null : tree.read(parser, "", 1);
            if (root != null && parser.nextToken() != null) {
                throw new SyntaxError(Mark.of(parser.currentTokenLocation()),
                        "a second YAML document (after a '---' line) starts here; gpfo.yaml must be one document"
                                + " (remove the '---' and merge the two)");
            }
            return new Parsed(root, tree.duplicates());
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new SyntaxError(new Mark(1, 1), "cannot read: " + e.getMessage());
        }
    }

    /**
     * SnakeYAML's own words and the position of the problem itself: Jackson's message and location
     * are those of the context (e.g. "while scanning for the next token" at the start of the block),
     * which can be lines away from the mistake.
     */
    private static SyntaxError syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            org.yaml.snakeyaml.error.Mark at = marked.getProblemMark();
            String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
            return new SyntaxError(new Mark(at.getLine() + 1, at.getColumn() + 1),
                    "not valid YAML: " + marked.getProblem() + context);
        }
        JsonLocation at = e.getLocation();
        Mark mark = at == null ? new Mark(1, 1) : Mark.of(at);
        return new SyntaxError(mark, "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }

    record Parsed(Node root, Map<String, Mark> duplicateKeys) {
    }

    private Map<String, Mark> duplicates() {
        Map<String, Mark> result = new LinkedHashMap<>();
        for (int i = 0; i < duplicateKeys.size(); i++) {
            result.put(duplicateKeys.get(i), duplicateMarks.get(i));
        }
        return Collections.unmodifiableMap(result);
    }

    private Node read(JsonParser parser, String path, int depth) throws IOException, SyntaxError {
        Mark mark = Mark.of(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        if (depth > MAX_DEPTH && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
            throw new SyntaxError(mark, "nested more than " + MAX_DEPTH + " levels deep (the limit; gpfo.yaml needs 3)");
        }
        if (token == JsonToken.START_OBJECT) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                Mark keyMark = Mark.of(parser.currentTokenLocation());
                parser.nextToken();
                String childPath = path.isEmpty() ? key : path + "." + key;
                Node value = read(parser, childPath, depth + 1);
                if (entries.containsKey(key)) {
                    duplicateKeys.add(childPath);
                    duplicateMarks.add(keyMark);
                } else {
                    entries.put(key, new Entry(keyMark, value));
                }
            }
            return new MapNode(mark, Collections.unmodifiableMap(entries));
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(parser, path + "[" + index++ + "]", depth + 1));
            }
            return new ListNode(mark, List.copyOf(items));
        }
        return new Scalar(mark, parser.getText(), token);
    }
}
