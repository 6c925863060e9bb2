package io.gpfo.cli;

import io.gpfo.port.PrintedStepLog;
import io.gpfo.config.GpfoConfig;
import io.gpfo.install.InstallStopped;
import io.gpfo.install.Preconditions;
import io.gpfo.install.UninstallFlow;
import io.gpfo.port.StepLog;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "uninstall", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCode.LIST_HEADING,
        exitCodeList = {ExitCode.OK_ENTRY, ExitCode.FAILED_ENTRY, ExitCode.USAGE_ENTRY, ExitCode.REFUSED_ENTRY,
            ExitCode.INTERRUPTED_ENTRY},
        description = {"Removes gpfo from both coordinator hosts (run it as root on either): stops and deregisters the"
                + " service, and removes /opt/gpfo, /etc/gpfo, /etc/sudoers.d/gpfo and /usr/local/bin/gpfo. The VIP is left"
                + " where it is, and the state directory (the agents' journal) is kept.",
            "Exit 0 removed, 1 a precondition or a step failed, 2 not root or configuration error, 3 refused: the peer's"
                + " host key is not verified, or not confirmed."})
final class UninstallCommand extends ConfiguredCommand implements Callable<Integer> {

    @Mixin
    YesOption confirmation;

    @Option(names = "--keep-config", description = "Leave /etc/gpfo (gpfo.yaml) on both hosts.")
    boolean keepConfig;

    UninstallCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        StepLog log = new PrintedStepLog(err()::println);
        try {
            Preconditions.requireRoot(services.root(), services.currentUser(), log, "uninstall");
            GpfoConfig config = loadConfig();
            log.ok("configuration " + configPath() + " is valid");
            Wiring wiring = Wiring.of(config, services);
            String here = wiring.access.host(wiring.local());
            String peer = wiring.access.host(wiring.peer());
            try (UninstallFlow.Prepared uninstall = new UninstallFlow(wiring.installPorts(log)).prepare(keepConfig)) {
                uninstall.plan().lines().forEach(err()::println);
                Confirmation.require(List.of(), "Remove gpfo from " + peer + " and " + here + "? [y/N] ", confirmation.yes, err());
                uninstall.uninstall();
                err().println("gpfo: removed from " + peer + " and " + here);
                return ExitCode.OK;
            }
        } catch (InstallStopped stopped) {
            throw GpfoException.of(stopped);
        }
    }
}
