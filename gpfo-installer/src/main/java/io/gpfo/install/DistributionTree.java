package io.gpfo.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The distribution's tree as root's install must trust it: install copies it to /opt/gpfo and runs
 * it as root on both hosts, so a file another user may change, or a link that leads elsewhere,
 * would let that user run code as root. {@link #walk} lists the entries; {@link #unsafe} says
 * which of them make the tree unsafe.
 */
@FunctionalInterface
public interface DistributionTree {

    /**
     * One entry of the tree, the tree's own directory included; links are not followed.
     *
     * @param uid          its owner
     * @param mode         its permission bits (07777)
     * @param symlink      whether it is a symbolic link
     * @param staysInside  for a link: whether its target is relative and resolves inside the tree
     */
    record Entry(Path path, int uid, int mode, boolean symlink, boolean staysInside) {
    }

    /** Why one entry makes the tree unsafe. */
    record Finding(Path path, Kind kind, String why) {
        public enum Kind { OWNER, WRITABLE, LINK_OUT }
    }

    /** Every entry under {@code root} (and root itself), links not followed. */
    List<Entry> walk(Path root) throws IOException;

    /** The first {@code limit} entries that make the tree unsafe; none for a tree only root can change. */
    static List<Finding> unsafe(List<Entry> entries, int limit) {
        List<Finding> findings = new ArrayList<>();
        for (Entry entry : entries) {
            if (findings.size() >= limit) {
                break;
            }
            if (entry.symlink()) {
                // a link's own owner and mode do not matter: it cannot be changed, only replaced in its directory
                if (!entry.staysInside()) {
                    findings.add(new Finding(entry.path(), Finding.Kind.LINK_OUT, entry.path()
                            + " is a symlink that leads out of the distribution"));
                }
            } else if (entry.uid() != 0) {
                findings.add(new Finding(entry.path(), Finding.Kind.OWNER, entry.path() + " is owned by uid " + entry.uid()
                        + ", not root"));
            } else if ((entry.mode() & 0022) != 0) {
                findings.add(new Finding(entry.path(), Finding.Kind.WRITABLE, entry.path()
                        + " is writable by its group or others (mode " + String.format("%04o", entry.mode() & 07777) + ")"));
            }
        }
        return findings;
    }

    /** The file system's tree, through java.nio's unix attributes. */
    static DistributionTree system() {
        return DistributionTree::walkFileSystem;
    }

    private static List<Entry> walkFileSystem(Path root) throws IOException {
        Path top = root.toAbsolutePath().normalize();
        Path realTop = top.toRealPath();
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path path : paths.toList()) {
                int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                boolean symlink = Files.isSymbolicLink(path);
                entries.add(new Entry(path, uid, mode, symlink, symlink && staysInside(top, realTop, path)));
            }
        }
        return entries;
    }

    /**
     * A link stays inside when its target is relative (an absolute one names this host's path, not
     * the installed copy's), resolves by its text inside the tree, and, when it exists, really is inside.
     */
    private static boolean staysInside(Path top, Path realTop, Path link) throws IOException {
        Path target = Files.readSymbolicLink(link);
        if (target.isAbsolute() || !link.getParent().resolve(target).normalize().startsWith(top)) {
            return false;
        }
        try {
            return link.toRealPath().startsWith(realTop);
        } catch (NoSuchFileException dangling) {
            return true;
        }
    }
}
