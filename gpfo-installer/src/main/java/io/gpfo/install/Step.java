package io.gpfo.install;

import java.util.List;
import java.util.Optional;

/**
 * One thing an install or uninstall makes true on one host. Steps describe the wanted end
 * state, not actions: {@link Installer} looks at what is there first and only acts on a
 * difference, so re-running a plan changes nothing that is already right.
 */
public sealed interface Step {

    /** The plan line: what this step makes true. */
    String describe();

    /** The path the step manages; empty for commands. */
    Optional<String> managedPath();

    /** What a step line names: "file /etc/gpfo/gpfo.yaml", "systemctl daemon-reload", … */
    String subject();

    /** Calls the visitor's method for this kind of step. */
    <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X;

    /**
     * One method per kind of step, so adding a kind fails to compile until every visitor handles
     * it (a pattern-matching switch would do this, but it is only a preview in Java 17).
     *
     * @param <X> what the visitor may throw (a target's failure while carrying a step out)
     */
    interface Visitor<R, X extends Exception> {
        R directory(Directory step) throws X;

        R file(File step) throws X;

        R tree(Tree step) throws X;

        R symlink(Symlink step) throws X;

        R run(Run step) throws X;

        R remove(Remove step) throws X;
    }

    /** A directory; without attributes it only has to exist (e.g. /usr/local/bin, managed by the OS). */
    record Directory(String path, Optional<Attributes> attributes) implements Step {
        public Directory {
            Paths.requireManaged(path);
        }

        @Override
        public String describe() {
            return String.format("%-10s %-44s %s", "directory", path,
                    attributes.map(Attributes::toString).orElse("(exists)"));
        }

        @Override
        public Optional<String> managedPath() {
            return Optional.of(path);
        }

        @Override
        public String subject() {
            return "directory " + path;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.directory(this);
        }
    }

    /** A regular file with exactly this content and these attributes, replaced atomically. */
    record File(String path, String content, Attributes attributes, Check check) implements Step {
        public File {
            Paths.requireManaged(path);
        }

        @Override
        public String describe() {
            return String.format("%-10s %-44s %s%s", "file", path, attributes,
                    check == Check.SUDOERS ? " (checked with visudo -cf before it is moved into place)" : "");
        }

        @Override
        public Optional<String> managedPath() {
            return Optional.of(path);
        }

        @Override
        public String subject() {
            return "file " + path;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.file(this);
        }
    }

    /** How a file is checked between its temporary name and its place. */
    enum Check { NONE, SUDOERS }

    /** The distribution tree: a root-owned copy of the running distribution, nothing group/world writable. */
    record Tree(String path, String source) implements Step {
        public Tree {
            Paths.requireManaged(path);
        }

        @Override
        public String describe() {
            return String.format("%-10s %-44s %s", "tree", path, "copy of " + source + " (root:root, go-w)");
        }

        @Override
        public Optional<String> managedPath() {
            return Optional.of(path);
        }

        @Override
        public String subject() {
            return "tree " + path;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.tree(this);
        }
    }

    /** A symbolic link {@code path -> target}, replaced atomically. */
    record Symlink(String path, String target) implements Step {
        public Symlink {
            Paths.requireManaged(path);
        }

        @Override
        public String describe() {
            return String.format("%-10s %-44s -> %s", "symlink", path, target);
        }

        @Override
        public Optional<String> managedPath() {
            return Optional.of(path);
        }

        @Override
        public String subject() {
            return "symlink " + path + " -> " + target;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.symlink(this);
        }
    }

    /** A command, run as root, when {@link When} says so. */
    record Run(List<String> argv, When when) implements Step {
        public Run {
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("empty argv");
            }
            argv = List.copyOf(argv);
        }

        /** The command as one line, for plans and step lines (not for execution). */
        public String display() {
            return String.join(" ", argv);
        }

        @Override
        public String describe() {
            String condition = when.describe();
            return String.format("%-10s %s", "run", display() + (condition.isEmpty() ? "" : "   (" + condition + ")"));
        }

        @Override
        public Optional<String> managedPath() {
            return Optional.empty();
        }

        @Override
        public String subject() {
            return display();
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.run(this);
        }
    }

    /**
     * Removes a path (recursively). With {@code onlyLinkTo}, only a symbolic link to that target
     * is removed: anything else there is not gpfo's and is left alone.
     */
    record Remove(String path, Optional<String> onlyLinkTo) implements Step {
        public Remove {
            Paths.requireManaged(path);
            if (path.indexOf('/', 1) < 0) {
                throw new IllegalArgumentException("refusing to remove a top-level directory: '" + path + "'");
            }
        }

        public static Remove of(String path) {
            return new Remove(path, Optional.empty());
        }

        @Override
        public String describe() {
            return String.format("%-10s %s", "remove", path + onlyLinkTo.map(target -> "   (if it links to " + target + ")").orElse(""));
        }

        @Override
        public Optional<String> managedPath() {
            return Optional.of(path);
        }

        @Override
        public String subject() {
            return path;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.remove(this);
        }
    }

    /** When a {@link Run} step runs. */
    sealed interface When {
        String describe();

        /** Calls the visitor's method for this condition. */
        <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X;

        /** One method per condition: a new condition fails to compile until every visitor handles it. */
        interface Visitor<R, X extends Exception> {
            R always(Always when) throws X;

            R ifChanged(IfChanged when) throws X;

            R unless(Unless when) throws X;
        }

        /** Every time. */
        record Always() implements When {
            @Override
            public String describe() {
                return "";
            }

            @Override
            public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
                return visitor.always(this);
            }
        }

        /** Only when one of these paths changed earlier on this host; no paths: when anything did. */
        record IfChanged(List<String> paths) implements When {
            public IfChanged {
                paths = List.copyOf(paths);
            }

            @Override
            public String describe() {
                return paths.isEmpty() ? "if anything above changed" : "if " + String.join(" or ", paths) + " changed";
            }

            @Override
            public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
                return visitor.ifChanged(this);
            }
        }

        /** Skipped when {@code probe} (run as root) succeeds: the command's effect is already there. */
        record Unless(List<String> probe, String already) implements When {
            public Unless {
                probe = List.copyOf(probe);
            }

            @Override
            public String describe() {
                return "unless " + already;
            }

            @Override
            public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
                return visitor.unless(this);
            }
        }
    }

    /** Paths the installer may manage: absolute and normalised, so what the plan shows is what is touched. */
    final class Paths {
        private Paths() {
        }

        static void requireManaged(String path) {
            if (!path.startsWith("/") || path.contains("//") || path.contains("/./") || path.contains("/../")
                    || path.length() < 2 || path.endsWith("/") || path.endsWith("/.") || path.endsWith("/..")
                    || path.contains("\n")) {
                throw new IllegalArgumentException("not a path gpfo install may manage: '" + path + "'");
            }
        }
    }
}
