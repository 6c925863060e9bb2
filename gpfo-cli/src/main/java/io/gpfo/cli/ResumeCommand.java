package io.gpfo.cli;

import io.gpfo.port.PrintedStepLog;
import io.gpfo.pause.PauseControl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Ends maintenance mode on both hosts, and lets an agent whose automatic promotion failed watch again."
                + " Exit 0 when both hosts resumed, 1 when the peer could not be reached.")
final class ResumeCommand extends ConfiguredCommand implements Callable<Integer> {

    ResumeCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        Wiring wiring = Wiring.of(loadConfig(), services);
        boolean both = new PauseControl(wiring.access, new PrintedStepLog(err()::println)).resume();
        recordCommand(wiring, "resume", "resumed" + (both ? " on both hosts" : " on this host only"));
        return both ? ExitCode.OK : ExitCode.FAILED;
    }
}
