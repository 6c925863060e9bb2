package io.gpfo.install;

import io.gpfo.port.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link Target} that is a map of paths in memory, for testing {@link Installer}'s decisions:
 * records every change it is asked to make and answers commands from a function.
 */
final class FakeTarget implements Target {

    final Map<String, FileState> files = new LinkedHashMap<>();
    final Map<String, String> contents = new LinkedHashMap<>();
    final Map<String, TreeManifest> trees = new LinkedHashMap<>();
    final List<String> changes = new ArrayList<>();
    final List<String> commands = new ArrayList<>();
    Function<List<String>, CommandResult> answers = argv -> ok("");
    String failOn;

    static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "", false, Duration.ZERO);
    }

    static CommandResult failed(int exit, String stderr) {
        return new CommandResult(exit, "", stderr, false, Duration.ZERO);
    }

    @Override
    public String host() {
        return "smdw";
    }

    @Override
    public FileState state(String path) {
        return files.getOrDefault(path, FileState.MISSING);
    }

    private void change(String what, String path) throws TargetException {
        if (path.equals(failOn)) {
            throw new TargetException("cannot " + what + " " + path + ": exit 1: No space left on device");
        }
        changes.add(what + " " + path);
    }

    @Override
    public void makeDirectory(String path, Attributes attributes) throws TargetException {
        change("mkdir", path);
        files.put(path, FileState.directory(attributes));
    }

    @Override
    public void setAttributes(String path, Attributes attributes) throws TargetException {
        change("attributes", path);
        FileState old = files.get(path);
        files.put(path, new FileState(old.kind(), java.util.Optional.of(attributes), old.sha256(), old.linkTarget()));
    }

    @Override
    public void putFile(String path, String content, Attributes attributes, Step.Check check) throws TargetException {
        change("write", path);
        files.put(path, FileState.file(attributes, Installer.sha256(content)));
        contents.put(path, content);
    }

    @Override
    public void symlink(String path, String target) throws TargetException {
        change("link", path);
        files.put(path, FileState.symlink(target));
    }

    @Override
    public TreeManifest treeManifest(String path) {
        return trees.getOrDefault(path, TreeManifest.MISSING);
    }

    @Override
    public void putTree(String path, Distribution distribution) throws TargetException {
        change("tree", path);
        trees.put(path, distribution.manifest());
    }

    @Override
    public void remove(String path) throws TargetException {
        change("remove", path);
        files.remove(path);
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        commands.add(String.join(" ", argv));
        return answers.apply(argv);
    }

    @Override
    public void close() {
    }
}
