package io.gpfo.install;

import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.Scripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The unpacked distribution gpfo runs from ({@code gpfo.home}: bin/, lib/, …), which install
 * copies to /opt/gpfo/VERSION on both hosts. It travels as one gzip tarball, made here once:
 * one SFTP transfer instead of one per file (a bundled runtime has hundreds), and tar keeps
 * modes and symbolic links, which a file-by-file copy would have to redo.
 */
public final class Distribution implements AutoCloseable {

    private static final String TREE_MANIFEST = Scripts.load(Distribution.class, "tree-manifest.sh");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Path home;
    private final String version;
    private final CommandRunner runner;
    private TreeManifest manifest;
    private Path workDirectory;
    private Path tarball;

    public Distribution(Path home, String version, CommandRunner runner) {
        this.home = home;
        this.version = version;
        this.runner = runner;
    }

    public Path home() {
        return home;
    }

    public String version() {
        return version;
    }

    /** Whether the distribution bundles its own Java runtime (runtime/bin/java). */
    public boolean bundlesRuntime() {
        return Files.isExecutable(home.resolve("runtime/bin/java"));
    }

    /**
     * The man pages it ships, relative to its share/man ("man1/gpfo.1", "man5/gpfo.yaml.5"), in the
     * sections install links into {@link Layout#MAN_ROOT}.
     */
    public List<String> manPages() throws IOException {
        List<String> pages = new ArrayList<>();
        for (String section : Layout.MAN_SECTIONS) {
            Path directory = home.resolve("share/man").resolve(section);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> files = Files.list(directory)) {
                files.filter(Files::isRegularFile).map(file -> section + "/" + file.getFileName()).sorted().forEach(pages::add);
            }
        }
        return pages;
    }

    /** The distribution as {@code tree-manifest.sh} sees it, to compare with an installed tree. */
    public TreeManifest manifest() throws TargetException {
        if (manifest == null) {
            CommandResult result = runner.run(new Command(List.of("sh", "-c", TREE_MANIFEST, "tree-manifest", home.toString()),
                    Map.of(), null, TIMEOUT));
            if (!result.ok()) {
                throw new TargetException("cannot list the distribution " + home + ": " + result.failureSummary());
            }
            manifest = TreeManifest.parse(result.stdout());
            if (!manifest.exists()) {
                throw new TargetException("the distribution " + home + " is not a directory");
            }
        }
        return manifest;
    }

    /** {@code gpfo-VERSION.tar.gz} of the tree, in a private temporary directory; made on first use. */
    public Path tarball() throws TargetException {
        if (tarball == null) {
            try {
                workDirectory = Files.createTempDirectory("gpfo-distribution-");
            } catch (IOException e) {
                throw new TargetException("cannot make a temporary directory for the distribution: " + e.getMessage(), e);
            }
            Path file = workDirectory.resolve("gpfo-" + version + ".tar.gz");
            CommandResult result = runner.run(new Command(List.of("tar", "-C", home.toString(), "-czf", file.toString(), "."),
                    Map.of(), null, TIMEOUT));
            if (!result.ok()) {
                throw new TargetException("cannot pack the distribution " + home + ": " + result.failureSummary());
            }
            tarball = file;
        }
        return tarball;
    }

    @Override
    public void close() {
        if (workDirectory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(workDirectory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // a leftover in the temporary directory is harmless
        }
    }
}
