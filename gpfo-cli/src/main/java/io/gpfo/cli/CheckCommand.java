package io.gpfo.cli;

import io.gpfo.check.CheckResult;
import io.gpfo.check.ClusterChecks;
import io.gpfo.check.LocalChecks;
import io.gpfo.config.GpfoConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validates the configuration, then runs the preflight checks (tools, Greenplum home, interface,"
                + " state directory, SSH with verified host keys to the peer and witnesses, the peer's tools and sudo rule,"
                + " SQL on both hosts) and lists each one. Exit 0 all passed, 2 configuration error, 4 a check failed.")
final class CheckCommand extends ConfiguredCommand implements Callable<Integer> {

    CheckCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        GpfoConfig config = loadConfig();
        List<CheckResult> results = new ArrayList<>();
        results.add(CheckResult.ok("config", configPath() + " is valid"));
        results.addAll(new LocalChecks(config, services.runner(), services.executables()).run());
        try {
            Wiring wiring = Wiring.of(config, services);
            results.addAll(new ClusterChecks(wiring.access, wiring.sql, wiring.vip.commands(), wiring.sqlTimeout()).run());
        } catch (GpfoException e) {
            results.add(CheckResult.fail("this host", e.getMessage(), "run gpfo check on the coordinator or standby host"));
            results.addAll(ClusterChecks.notRun(config, "needs to run on the coordinator or standby host"));
        }
        results.forEach(result -> out().println(result.line()));
        long failed = results.stream().filter(result -> result.status() == CheckResult.Status.FAIL).count();
        long warned = results.stream().filter(result -> result.status() == CheckResult.Status.WARN).count();
        long skipped = results.stream().filter(result -> result.status() == CheckResult.Status.SKIP).count();
        String notRun = skipped > 0 ? ", " + skipped + " not run" : "";
        if (failed > 0) {
            err().println("gpfo: " + failed + " check(s) failed, " + warned + " warning(s)" + notRun);
            return ExitCode.UNHEALTHY;
        }
        err().println("gpfo: all " + results.size() + " checks passed" + (warned > 0 ? ", " + warned + " warning(s)" : ""));
        return ExitCode.OK;
    }
}
