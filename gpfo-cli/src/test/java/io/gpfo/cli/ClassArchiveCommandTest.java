package io.gpfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.config.ConfigLoader;
import io.gpfo.port.Clock;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.Executables;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassArchiveCommandTest {

    @TempDir
    Path dir;

    private final List<CommandRunner.Command> runs = new ArrayList<>();
    private String out;
    private String err;

    /** Plays the JVM of the training run: writes the archive GPFO_OPTS names, or nothing. */
    private CommandRunner training(boolean writesArchive) {
        return command -> {
            runs.add(command);
            String options = command.environment().get("GPFO_OPTS");
            if (writesArchive) {
                try {
                    Files.writeString(Path.of(options.replaceAll("^-XX:ArchiveClassesAtExit=(\\S+).*$", "$1")), "archive");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new CommandResult(writesArchive ? 4 : 1, "", writesArchive ? "" : "gpfo: cannot read gpfo.yaml", false,
                    Duration.ZERO);
        };
    }

    private int gpfo(CommandRunner runner, Optional<Path> home) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        Services services = new Services(runner, Clock.SYSTEM, Map.of(), new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false),
                new Executables(List.of()), config -> null, config -> null, host -> List.of(), List::of, "root", true, home,
                root -> { throw new AssertionError("the distribution tree is read only by install"); });
        int status = Gpfo.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true), services)
                .execute("--config", dir.resolve("gpfo.yaml").toString(), "class-archive");
        out = stdout.toString();
        err = stderr.toString();
        return status;
    }

    @Test
    void aTrainingRunOfStatusLeavesAnArchiveBesideTheTreeReadableByAllWritableByItsOwner() throws Exception {
        Path home = Files.createDirectories(dir.resolve("gpfo-0.1.0"));

        assertThat(gpfo(training(true), Optional.of(home))).isZero();

        Path archive = dir.resolve("gpfo-0.1.0.jsa");
        assertThat(Files.readString(archive)).isEqualTo("archive");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo("rw-r--r--");
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.argv()).containsExactly(home.resolve("bin/gpfo").toString(), "--config",
                    dir.resolve("gpfo.yaml").toString(), "status");
            assertThat(run.environment().get("GPFO_OPTS")).startsWith("-XX:ArchiveClassesAtExit=" + archive + ".new ");
        });
        assertThat(out).startsWith("class archive: " + archive + " (");
    }

    @Test
    void noArchiveIsANoteNotAFailureGpfoWorksWithout() {
        Path home = dir.resolve("gpfo-0.1.0");

        assertThat(gpfo(training(false), Optional.of(home))).isZero();

        assertThat(dir.resolve("gpfo-0.1.0.jsa")).doesNotExist();
        assertThat(out).contains("class archive: not made (exit 1: gpfo: cannot read gpfo.yaml)");
    }

    @Test
    void withoutTheLauncherOrWithoutWriteAccessItIsAUsageError() {
        assertThat(gpfo(training(true), Optional.empty())).isEqualTo(ExitCode.USAGE);
        assertThat(err).contains("needs to be started by bin/gpfo");

        // (as root every existing directory is writable: a missing one stands for one we may not write)
        assertThat(gpfo(training(true), Optional.of(dir.resolve("missing/gpfo-0.1.0")))).isEqualTo(ExitCode.USAGE);
        assertThat(err).contains("cannot write").contains("as the owner of");
    }
}
