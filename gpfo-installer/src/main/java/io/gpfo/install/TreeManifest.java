package io.gpfo.install;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code tree-manifest.sh} says about a directory tree: every entry with its type, link
 * target, checksum and executable bit; and the entries that are not root's or are writable by
 * group or others. Equal entries mean the same distribution.
 */
public record TreeManifest(boolean exists, List<String> entries, List<String> unsafe) {

    public static final TreeManifest MISSING = new TreeManifest(false, List.of(), List.of());

    public TreeManifest {
        entries = List.copyOf(entries);
        unsafe = List.copyOf(unsafe);
    }

    public static TreeManifest parse(String output) {
        if (output.strip().equals("missing")) {
            return MISSING;
        }
        List<String> entries = new ArrayList<>();
        List<String> unsafe = new ArrayList<>();
        List<String> section = null;
        for (String line : output.lines().toList()) {
            if (line.equals("entries:")) {
                section = entries;
            } else if (line.equals("unsafe:")) {
                section = unsafe;
            } else if (section != null && !line.isEmpty()) {
                section.add(line);
            }
        }
        if (section == null) {
            throw new IllegalArgumentException("not a tree manifest: " + output.lines().findFirst().orElse("(empty)"));
        }
        return new TreeManifest(true, entries, unsafe);
    }

    /** How many entries are in one manifest and not the other: 0 for the same tree. */
    public int differences(TreeManifest other) {
        List<String> onlyHere = new ArrayList<>(entries);
        onlyHere.removeAll(other.entries);
        List<String> onlyThere = new ArrayList<>(other.entries);
        onlyThere.removeAll(entries);
        return onlyHere.size() + onlyThere.size();
    }
}
