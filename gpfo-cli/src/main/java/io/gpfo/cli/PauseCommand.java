package io.gpfo.cli;

import io.gpfo.config.Durations;
import io.gpfo.state.PauseFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Maintenance mode for the agents on both hosts: they keep watching and alerting but do not act."
                + " Exit 0 when both hosts are paused, 1 when the peer could not be reached (this host is paused).")
final class PauseCommand extends ConfiguredCommand implements Callable<Integer> {

    /** Writes a file atomically in the state directory of the peer (runs there as the admin user). */
    static final String WRITE = "umask 022 && printf '%s' \"$2\" > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"";

    @Option(names = "--for", paramLabel = "DURATION", description = "End the pause by itself after this long (e.g. 30m, 2h, 1h30m, 1d)."
            + " Default: until 'gpfo resume'.")
    String duration;

    PauseCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        Optional<Instant> until = Optional.empty();
        if (duration != null) {
            Duration length = Durations.parse(duration).orElseThrow(() -> new GpfoException(ExitCode.USAGE,
                    "--for '" + duration + "' is not a duration; " + Durations.EXPECTED));
            if (length.isZero()) {
                throw new GpfoException(ExitCode.USAGE, "--for " + duration + " must be more than 0; to end a pause run 'gpfo resume'");
            }
            until = Optional.of(services.clock().now().plus(length));
        }
        Wiring wiring = Wiring.of(loadConfig(), services);
        Path file = wiring.config.state().directory().resolve(PauseFile.FILE_NAME);
        String content = PauseFile.content(until);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        String when = until.map(at -> "until " + at).orElse("until 'gpfo resume'");
        err().println("OK      paused on " + wiring.access.host(wiring.local()) + " " + when);
        return onPeer(wiring, List.of("sh", "-c", WRITE, "pause", file.toString(), content), "paused", when);
    }
}
