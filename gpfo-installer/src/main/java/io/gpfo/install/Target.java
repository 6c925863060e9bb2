package io.gpfo.install;

import io.gpfo.port.CommandResult;
import java.time.Duration;
import java.util.List;

/**
 * A host the installer changes, as root: this host directly, the peer over SSH through
 * {@code sudo -n}. {@link Installer} decides what to do; a target only does it.
 */
public interface Target extends AutoCloseable {

    String host();

    /** What is at {@code path} now (symbolic links are not followed). */
    FileState state(String path) throws TargetException;

    /** Creates the directory (and missing parents), or gives an existing one these attributes. */
    void makeDirectory(String path, Attributes attributes) throws TargetException;

    /** Sets owner, group and mode of an existing file or directory. */
    void setAttributes(String path, Attributes attributes) throws TargetException;

    /** Writes the file under a temporary name, checks it, then renames it into place. */
    void putFile(String path, String content, Attributes attributes, Step.Check check) throws TargetException;

    /** Points {@code path} at {@code target}, replacing an existing link atomically. */
    void symlink(String path, String target) throws TargetException;

    TreeManifest treeManifest(String path) throws TargetException;

    /** Replaces the tree at {@code path} with the distribution, root-owned and not group/world writable. */
    void putTree(String path, Distribution distribution) throws TargetException;

    /** Removes {@code path} and everything under it. */
    void remove(String path) throws TargetException;

    /** Runs a command as root; its result, whatever the exit status. */
    CommandResult run(List<String> argv, Duration timeout) throws TargetException;

    /** Removes whatever was staged on the host for this install. */
    @Override
    void close();
}
