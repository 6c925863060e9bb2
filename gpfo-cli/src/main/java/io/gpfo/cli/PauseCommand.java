package io.gpfo.cli;

import io.gpfo.port.PrintedStepLog;
import io.gpfo.config.Durations;
import io.gpfo.state.PauseFile;
import io.gpfo.pause.PauseControl;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Maintenance mode for the agents on both hosts: they keep watching and alerting but do not act."
                + " Exit 0 when both hosts are paused, 1 when the peer could not be reached (this host is paused).")
final class PauseCommand extends ConfiguredCommand implements Callable<Integer> {

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
        boolean both = new PauseControl(wiring.access, new PrintedStepLog(err()::println)).pause(until, PauseFile.BY_OPERATOR);
        recordCommand(wiring, "pause", "paused " + until.map(at -> "until " + at).orElse("indefinitely")
                + (both ? " on both hosts" : " on this host only"));
        return both ? ExitCode.OK : ExitCode.FAILED;
    }
}
