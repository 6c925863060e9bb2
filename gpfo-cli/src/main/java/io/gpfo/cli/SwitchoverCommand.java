package io.gpfo.cli;

import io.gpfo.lifecycle.Switchover;
import io.gpfo.lifecycle.SwitchoverFacts;
import io.gpfo.lifecycle.SwitchoverPlan;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "switchover", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCode.LIST_HEADING,
        exitCodeList = {ExitCode.OK_ENTRY, ExitCode.FAILED_ENTRY, ExitCode.USAGE_ENTRY, ExitCode.REFUSED_ENTRY,
            ExitCode.INTERRUPTED_ENTRY},
        description = {"Planned role swap with zero data loss, run on the standby host: pauses both agents, stops the"
                + " coordinator cleanly (gpstop -m), promotes this standby only once it has received and replayed the"
                + " coordinator's shutdown checkpoint (else starts the coordinator again), moves the VIP, and re-adds the"
                + " old coordinator as the standby. Prints the write outage.",
            "Exit 0 switched, 1 not switched or stopped half-way (the message says which), 3 refused (nothing changed)."})
final class SwitchoverCommand extends ConfiguredCommand implements Callable<Integer> {

    @Mixin
    DryRunOption dryRun;

    @Mixin
    YesOption confirmation;

    @Option(names = "--no-rejoin", description = "Leave the old coordinator stopped instead of re-adding it as the standby.")
    boolean noRejoin;

    SwitchoverCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        Wiring wiring = Wiring.of(loadConfig(), services);
        try (Lifecycle lifecycle = new Lifecycle(wiring, services, err())) {
            SwitchoverFacts facts = lifecycle.switchover.facts();
            SwitchoverPlan plan = SwitchoverPlan.judge(facts, wiring.config.promotion().maxLagBytes());
            if (!lifecycle.print(plan.checks())) {
                throw new GpfoException(ExitCode.REFUSED, "not switching over: a precondition fails (above); nothing was"
                        + " changed");
            }
            List<String> steps = List.of("The plan:",
                    "  - pause the agents on both hosts",
                    "  - gpstop -m on " + facts.peerHost() + " (a clean stop: clients are disconnected)",
                    "  - promote " + facts.localHost() + " once it has replayed " + facts.peerHost() + "'s shutdown checkpoint"
                            + " (else start " + facts.peerHost() + " again)",
                    "  - move the VIP " + wiring.config.vip().cidr() + " to " + facts.localHost(),
                    noRejoin ? "  - leave " + facts.peerHost() + " stopped" : "  - re-add " + facts.peerHost()
                            + " as the standby (its data directory moved aside, gpinitstandby)",
                    "  - resume the agents");
            if (dryRun.dryRun) {
                steps.forEach(err()::println);
                return ExitCode.OK;
            }
            Confirmation.require(steps, "Switch over to " + facts.localHost() + "? [y/N] ", confirmation.yes, err());
            recordCommand(wiring, "switchover", "switchover from " + facts.peerHost() + " to " + facts.localHost() + " started");
            Switchover.Result result = lifecycle.switchover.run(!noRejoin);
            recordCommand(wiring, "switchover", result.outcome().name().toLowerCase(java.util.Locale.ROOT) + ": "
                    + result.message() + result.writeOutage().map(outage -> " (write outage " + outage.toMillis() + " ms)")
                            .orElse(""));
            int exit = switch (result.outcome()) {
                case SWITCHED -> ExitCode.OK;
                case SWITCHED_WITHOUT_STANDBY -> noRejoin ? ExitCode.OK : ExitCode.FAILED;
                case RESTORED, FAILED -> ExitCode.FAILED;
            };
            if (exit != ExitCode.OK) {
                throw new GpfoException(exit, result.message());
            }
            err().println("gpfo: " + result.message());
            return ExitCode.OK;
        }
    }
}
