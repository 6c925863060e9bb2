package io.gpfo.cli;

import io.gpfo.lifecycle.RejoinFacts;
import io.gpfo.lifecycle.RejoinPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "rejoin", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCode.LIST_HEADING,
        exitCodeList = {ExitCode.OK_ENTRY, ExitCode.FAILED_ENTRY, ExitCode.USAGE_ENTRY, ExitCode.REFUSED_ENTRY,
            ExitCode.INTERRUPTED_ENTRY},
        description = {"Re-adds the host that is not the acting primary as its standby (after a failover): moves its old"
                + " data directory aside (never deletes it), runs gpinitstandby on the acting primary, waits until the new"
                + " standby streams, and re-arms both agents, which are paused meanwhile. Run on either coordinator host;"
                + " a re-run continues where a failed one stopped.",
            "Exit 0 the pair is whole, 1 a step failed, 3 refused (a precondition fails; nothing changed)."})
final class RejoinCommand extends ConfiguredCommand implements Callable<Integer> {

    @Mixin
    DryRunOption dryRun;

    @Mixin
    YesOption confirmation;

    RejoinCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        Wiring wiring = Wiring.of(loadConfig(), services);
        try (Lifecycle lifecycle = new Lifecycle(wiring, services, err())) {
            RejoinFacts facts = lifecycle.rejoin.facts();
            RejoinPlan plan = RejoinPlan.judge(facts, services.clock().now());
            lifecycle.print(plan.checks());
            if (plan.verdict() == RejoinPlan.Verdict.REFUSED) {
                throw new GpfoException(ExitCode.REFUSED, "not rejoining: a precondition fails (above); nothing was changed");
            }
            List<String> steps = describe(plan, facts);
            if (dryRun.dryRun) {
                steps.forEach(err()::println);
                return ExitCode.OK;
            }
            Confirmation.require(steps, "Rejoin " + facts.targetHost() + "? [y/N] ", confirmation.yes, err());
            recordCommand(wiring, "rejoin", "rejoin of " + facts.targetHost() + " as the standby of "
                    + wiring.access.host(facts.actingPrimary().get()) + " started");
            boolean whole = lifecycle.rejoin.run(plan, facts);
            recordCommand(wiring, "rejoin", "rejoin of " + facts.targetHost() + (whole ? " done: the pair is whole" : " stopped"));
            if (!whole) {
                throw new GpfoException(ExitCode.FAILED, "the rejoin stopped (see above); run 'gpfo rejoin' again once the"
                        + " cause is fixed");
            }
            err().println("gpfo: " + facts.targetHost() + " is the standby again; a later failure of the coordinator is"
                    + " promoted automatically, as before.");
            return ExitCode.OK;
        }
    }

    private static List<String> describe(RejoinPlan plan, RejoinFacts facts) {
        List<String> lines = new ArrayList<>(List.of("The plan:"));
        for (RejoinPlan.Step step : plan.steps()) {
            lines.add("  - " + step.accept(new RejoinPlan.Step.Visitor<String>() {
                @Override
                public String moveAside(RejoinPlan.MoveAside move) {
                    return "move " + move.from() + " on " + facts.targetHost() + " aside to " + move.to() + " (kept)";
                }

                @Override
                public String initStandby(RejoinPlan.InitStandby init) {
                    return "gpinitstandby -s " + init.targetHost() + " (data directory " + init.dataDirectory() + ") on the"
                            + " acting primary: a full copy";
                }

                @Override
                public String awaitStreaming(RejoinPlan.AwaitStreaming await) {
                    return "wait until " + await.targetHost() + " streams";
                }

                @Override
                public String rearm(RejoinPlan.Rearm rearm) {
                    return "re-arm both agents (paused meanwhile)";
                }
            }));
        }
        return lines;
    }
}
