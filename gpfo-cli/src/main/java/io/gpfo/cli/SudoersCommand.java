package io.gpfo.cli;

import io.gpfo.vip.SudoersRule;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints the sudoers drop-in gpfo install writes; for operators who manage sudoers themselves. */
@Command(name = "sudoers", hidden = true, mixinStandardHelpOptions = true,
        description = "Prints the /etc/sudoers.d/gpfo drop-in for this configuration (what gpfo install writes).")
final class SudoersCommand extends ConfiguredCommand implements Callable<Integer> {

    SudoersCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        Wiring wiring = Wiring.of(loadConfig(), services);
        out().print(SudoersRule.render(wiring.config.greenplum().adminUser(), wiring.vip.commands()));
        out().flush();
        return ExitCode.OK;
    }
}
