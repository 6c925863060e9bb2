package io.gpfo.cli;

import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Makes the class-data archive bin/gpfo uses on a system Java (the bundled runtime has its own AOT
 * cache): one training run of 'gpfo status' with -XX:ArchiveClassesAtExit, written next to the
 * distribution as {@code <gpfo home>.jsa}. gpfo's classes then come pre-parsed, about 0.2 s off
 * every command on Java 17. gpfo install runs it on both hosts; it never fails an install, since
 * gpfo works without the archive, only slower to start.
 */
@Command(name = "class-archive", hidden = true, mixinStandardHelpOptions = true,
        description = "Makes <gpfo home>.jsa, the class-data archive that speeds up gpfo's start on a system Java.")
final class ClassArchiveCommand extends ConfiguredCommand implements Callable<Integer> {

    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(60);

    ClassArchiveCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws IOException {
        if ("bundled".equals(System.getProperty("gpfo.runtime"))) {
            out().println("class archive: not needed, the bundled runtime has its AOT cache");
            return ExitCode.OK;
        }
        Path home = services.gpfoHome().orElseThrow(() -> new GpfoException(ExitCode.USAGE,
                "gpfo class-archive needs to be started by bin/gpfo (gpfo.home is not set)"));
        Path archive = archiveOf(home);
        if (!Files.isWritable(archive.getParent())) {
            throw new GpfoException(ExitCode.USAGE, "cannot write " + archive + ": run 'gpfo class-archive' as the owner of "
                    + archive.getParent() + " (root for an installed gpfo)");
        }
        Path fresh = archive.resolveSibling(archive.getFileName() + ".new");
        Files.deleteIfExists(fresh);
        CommandResult training = services.runner().run(new CommandRunner.Command(
                List.of(home.resolve("bin/gpfo").toString(), "--config", configPath().toString(), "status"),
                Map.of("GPFO_OPTS", "-XX:ArchiveClassesAtExit=" + fresh + " -Xlog:cds=off -Xlog:cds+dynamic=off"), null,
                TRAINING_TIMEOUT));
        if (!Files.isRegularFile(fresh) || Files.size(fresh) == 0) {
            out().println("class archive: not made (" + training.failureSummary() + "); gpfo works without it, only slower"
                    + " to start");
            return ExitCode.OK;
        }
        Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(fresh, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out().printf("class archive: %s (%.1f MB) for Java %s%n", archive, Files.size(archive) / 1e6,
                System.getProperty("java.runtime.version"));
        return ExitCode.OK;
    }

    /** Where bin/gpfo looks for it: beside the distribution's directory, outside the installed tree. */
    static Path archiveOf(Path home) {
        return home.resolveSibling(home.getFileName() + ".jsa");
    }
}
