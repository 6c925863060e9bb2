package io.gpfo.install;

import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.CommandRunner.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * This host, where gpfo install runs as root: commands run directly; files are staged in a
 * private temporary directory (0700, root's) before they are installed.
 */
public final class LocalTarget extends ShellTarget {

    private final String host;
    private final CommandRunner runner;
    private Path staging;

    public LocalTarget(String host, CommandRunner runner) {
        this.host = host;
        this.runner = runner;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    CommandResult execute(List<String> argv, Duration timeout) {
        return runner.run(new Command(argv, Map.of(), null, timeout));
    }

    @Override
    String stage(String name, byte[] content) throws TargetException {
        try {
            Path file = staging().resolve(name);
            Files.write(file, content);
            return file.toString();
        } catch (IOException e) {
            throw new TargetException("cannot stage " + name + " in " + staging + ": " + e.getMessage(), e);
        }
    }

    @Override
    String stage(String name, Path file) {
        // already on this host, in a directory only root can read
        return file.toString();
    }

    private Path staging() throws IOException {
        if (staging == null) {
            // createTempDirectory makes it 0700
            staging = Files.createTempDirectory("gpfo-install-");
        }
        return staging;
    }

    @Override
    public void close() {
        if (staging == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(staging)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // a leftover in the temporary directory is harmless
        }
    }
}
