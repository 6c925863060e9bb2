package io.gpfo.cli;

import io.gpfo.state.PauseFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Ends maintenance mode on both hosts, and lets an agent whose automatic promotion failed watch again."
                + " Exit 0 when both hosts resumed, 1 when the peer could not be reached.")
final class ResumeCommand extends ConfiguredCommand implements Callable<Integer> {

    /** Removes the pause and leaves the resume marker, in the state directory given as $1. */
    static final String RESUME = "rm -f \"$1/" + PauseFile.FILE_NAME + "\" && umask 022 && : > \"$1/"
            + PauseFile.RESUME_FILE_NAME + "\"";

    ResumeCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        Wiring wiring = Wiring.of(loadConfig(), services);
        Path directory = wiring.config.state().directory();
        Files.deleteIfExists(directory.resolve(PauseFile.FILE_NAME));
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(PauseFile.RESUME_FILE_NAME), "");
        err().println("OK      resumed on " + wiring.access.host(wiring.local()));
        return onPeer(wiring, List.of("sh", "-c", RESUME, "resume", directory.toString()), "resumed", "");
    }
}
