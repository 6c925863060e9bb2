package io.gpfo.install;

import java.util.Optional;

/**
 * What a path on a host is now, as {@code state.sh} reports it: missing, a directory, a
 * symbolic link (not followed), a regular file with its SHA-256, or something else.
 */
public record FileState(Kind kind, Optional<Attributes> attributes, Optional<String> sha256, Optional<String> linkTarget) {

    public enum Kind { MISSING, DIRECTORY, FILE, SYMLINK, OTHER }

    public static final FileState MISSING = new FileState(Kind.MISSING, Optional.empty(), Optional.empty(), Optional.empty());

    public static FileState directory(Attributes attributes) {
        return new FileState(Kind.DIRECTORY, Optional.of(attributes), Optional.empty(), Optional.empty());
    }

    public static FileState file(Attributes attributes, String sha256) {
        return new FileState(Kind.FILE, Optional.of(attributes), Optional.of(sha256), Optional.empty());
    }

    public static FileState symlink(String target) {
        return new FileState(Kind.SYMLINK, Optional.empty(), Optional.empty(), Optional.of(target));
    }

    public boolean exists() {
        return kind != Kind.MISSING;
    }

    /**
     * Parses one line of {@code state.sh}: {@code missing}, {@code other}, {@code link TARGET},
     * {@code dir OWNER GROUP MODE} or {@code file OWNER GROUP MODE SHA256} (MODE in octal).
     */
    public static FileState parse(String line) {
        String text = line.strip();
        if (text.equals("missing")) {
            return MISSING;
        }
        if (text.equals("other")) {
            return new FileState(Kind.OTHER, Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (text.startsWith("link ")) {
            return symlink(text.substring(5));
        }
        String[] fields = text.split(" ");
        try {
            if (fields[0].equals("dir") && fields.length == 4) {
                return directory(new Attributes(fields[1], fields[2], Integer.parseInt(fields[3], 8)));
            }
            if (fields[0].equals("file") && fields.length == 5 && fields[4].matches("[0-9a-f]{64}")) {
                return file(new Attributes(fields[1], fields[2], Integer.parseInt(fields[3], 8)), fields[4]);
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("cannot read the state of a file from: " + text);
    }

    /** For messages: what is there now. */
    public String describe() {
        return switch (kind) {
            case MISSING -> "missing";
            case OTHER -> "neither a file, a directory nor a symbolic link";
            case SYMLINK -> "a symbolic link to " + linkTarget.orElse("?");
            case DIRECTORY -> "a directory (" + attributes.map(Attributes::toString).orElse("?") + ")";
            case FILE -> "a file (" + attributes.map(Attributes::toString).orElse("?") + ")";
        };
    }
}
