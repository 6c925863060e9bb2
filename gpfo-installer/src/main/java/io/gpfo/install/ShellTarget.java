package io.gpfo.install;

import io.gpfo.port.CommandResult;
import io.gpfo.port.Scripts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link Target} whose every operation is one command (coreutils, or a small sh script shipped
 * next to this class, passed as {@code sh -c SCRIPT NAME ARGS…} so paths are arguments, never
 * shell text). The same commands run on this host and, through sudo, on the peer.
 */
abstract class ShellTarget implements Target {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    static final Duration TREE_TIMEOUT = Duration.ofMinutes(5);

    private static final String STATE = Scripts.load(ShellTarget.class, "state.sh");
    private static final String PUT_FILE = Scripts.load(ShellTarget.class, "put-file.sh");
    private static final String TREE_MANIFEST = Scripts.load(ShellTarget.class, "tree-manifest.sh");
    private static final String TREE_INSTALL = Scripts.load(ShellTarget.class, "tree-install.sh");
    private static final String SET_ATTRIBUTES = "chown \"$1\" \"$3\" && chmod \"$2\" \"$3\"";
    private static final String SYMLINK = "ln -sfn \"$1\" \"$2.gpfo-new\" && mv -Tf \"$2.gpfo-new\" \"$2\"";

    private String stagedTarball;
    private int staged;

    /** Runs argv as root on the host. */
    abstract CommandResult execute(List<String> argv, Duration timeout) throws TargetException;

    /** Puts content on the host where root can read it; returns its path there. */
    abstract String stage(String name, byte[] content) throws TargetException;

    /** Puts a local file on the host where root can read it; returns its path there. */
    abstract String stage(String name, Path file) throws TargetException;

    @Override
    public FileState state(String path) throws TargetException {
        return parsed(checked("look at " + path, script(STATE, "state", path), COMMAND_TIMEOUT), FileState::parse);
    }

    /** A helper script's answer read by its parser; an answer it cannot read fails the step. */
    private static <T> T parsed(CommandResult result, Function<String, T> parser) throws TargetException {
        try {
            return parser.apply(result.stdout());
        } catch (IllegalArgumentException e) {
            throw new TargetException(e.getMessage(), e);
        }
    }

    @Override
    public void makeDirectory(String path, Attributes attributes) throws TargetException {
        checked("make directory " + path, List.of("install", "-d", "-o", attributes.owner(), "-g", attributes.group(), "-m",
                Attributes.octal(attributes.mode()), path), COMMAND_TIMEOUT);
    }

    @Override
    public void setAttributes(String path, Attributes attributes) throws TargetException {
        checked("set owner and mode of " + path, script(SET_ATTRIBUTES, "attributes",
                attributes.owner() + ":" + attributes.group(), Attributes.octal(attributes.mode()), path), COMMAND_TIMEOUT);
    }

    @Override
    public void putFile(String path, String content, Attributes attributes, Step.Check check) throws TargetException {
        // numbered: /etc/sudoers.d/gpfo and /etc/init.d/gpfo share a name
        String name = ++staged + "-" + path.substring(path.lastIndexOf('/') + 1);
        String copy = stage(name, content.getBytes(StandardCharsets.UTF_8));
        checked("write " + path, script(PUT_FILE, "put-file", copy, path, attributes.owner(), attributes.group(),
                Attributes.octal(attributes.mode()), check == Step.Check.SUDOERS ? "sudoers" : "none"), COMMAND_TIMEOUT);
    }

    @Override
    public void symlink(String path, String target) throws TargetException {
        checked("link " + path, script(SYMLINK, "symlink", target, path), COMMAND_TIMEOUT);
    }

    @Override
    public TreeManifest treeManifest(String path) throws TargetException {
        return parsed(checked("list " + path, script(TREE_MANIFEST, "tree-manifest", path), TREE_TIMEOUT), TreeManifest::parse);
    }

    @Override
    public void putTree(String path, Distribution distribution) throws TargetException {
        if (stagedTarball == null) {
            Path tarball = distribution.tarball();
            stagedTarball = stage(tarball.getFileName().toString(), tarball);
        }
        checked("unpack the distribution into " + path, script(TREE_INSTALL, "tree-install", path, stagedTarball), TREE_TIMEOUT);
    }

    @Override
    public void remove(String path) throws TargetException {
        // a directory that is a mount point (a separate /opt/gpfo file system, or a lab host's bind
        // mount) cannot go itself: empty it instead
        checked("remove " + path, List.of("sh", "-c", "if mountpoint -q \"$1\"; then find \"$1\" -mindepth 1 -delete;"
                + " else rm -rf -- \"$1\"; fi", "remove", path), TREE_TIMEOUT);
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) throws TargetException {
        return execute(argv, timeout);
    }

    private CommandResult checked(String what, List<String> argv, Duration timeout) throws TargetException {
        CommandResult result = execute(argv, timeout);
        if (!result.ok()) {
            throw new TargetException("cannot " + what + ": " + result.failureSummary());
        }
        return result;
    }

    static List<String> script(String script, String name, String... arguments) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, name));
        argv.addAll(List.of(arguments));
        return argv;
    }
}
