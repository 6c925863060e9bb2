package io.gpfo.cli;

import io.gpfo.port.PrintedStepLog;
import io.gpfo.port.StepLog;
import io.gpfo.promote.PromotionEvidence;
import io.gpfo.promote.PromotionOutcome;
import io.gpfo.promote.Promoter;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "promote", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCode.LIST_HEADING,
        exitCodeList = {ExitCode.OK_ENTRY, ExitCode.FAILED_ENTRY, ExitCode.USAGE_ENTRY, ExitCode.REFUSED_ENTRY,
            ExitCode.INTERRUPTED_ENTRY},
        description = {"Promotes this host's standby to coordinator (manual failover): checks that the coordinator is really"
                + " gone, fences it where it can be reached, runs gpactivatestandby, then takes the VIP.",
            "Exit 0 promoted, 1 failed, 3 refused for safety (nothing changed)."})
final class PromoteCommand extends ConfiguredCommand implements Callable<Integer> {

    @Option(names = "--force", description = "Skip the checks that the coordinator is gone, the lag limit and the duplicate"
            + " VIP check; fence the old coordinator first where possible; pass -f to gpactivatestandby.")
    boolean force;

    @Mixin
    YesOption confirmation;

    PromoteCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        Wiring wiring = Wiring.of(loadConfig(), services);
        StepLog log = new PrintedStepLog(err()::println);
        Promoter promoter = new Promoter(wiring.access, wiring.sql, wiring.vip, services.clock(), wiring.wrappers(), log);
        PromotionEvidence evidence = promoter.gather();
        List<String> refusals = force ? evidence.hardRefusals() : evidence.refusals(wiring.config);
        if (refusals.isEmpty() && !confirmation.yes) {
            String peer = wiring.access.host(wiring.peer());
            List<String> plan = List.of(
                    "About to promote this host (" + wiring.access.host(wiring.local()) + ") to coordinator of " + wiring.config.cluster().name() + ":",
                    "  - fence " + peer + " (remove its VIP, stop its postmaster) if it can be reached",
                    "  - gpactivatestandby -d " + wiring.local().of(wiring.config).dataDirectory() + " -a -q" + (force ? " -f" : ""),
                    "  - bring the VIP " + wiring.config.vip().cidr() + " up here and announce it with gratuitous ARP",
                    "  - " + peer + " must then be re-added as the standby: 'gpfo rejoin' (it runs gpinitstandby)");
            evidence.describe().forEach(fact -> err().println("        evidence: " + fact));
            Confirmation.require(plan, "Promote " + wiring.access.host(wiring.local()) + "? [y/N] ", confirmation.yes, err());
        }
        PromotionOutcome outcome = promoter.promote(evidence, force);
        int exit = switch (outcome.result()) {
            case PROMOTED -> ExitCode.OK;
            case REFUSED -> ExitCode.REFUSED;
            case PROMOTED_WITHOUT_VIP, FAILED -> ExitCode.FAILED;
        };
        if (exit != ExitCode.OK) {
            throw new GpfoException(exit, outcome.message());
        }
        err().println("gpfo: promoted. " + outcome.message());
        return ExitCode.OK;
    }
}
