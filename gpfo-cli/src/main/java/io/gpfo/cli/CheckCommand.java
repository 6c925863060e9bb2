package io.gpfo.cli;

import io.gpfo.check.CheckResult;
import io.gpfo.check.LocalChecks;
import io.gpfo.config.GpfoConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validates the configuration, then runs the preflight checks and lists each one"
                + " (exit 0 all passed, 2 configuration error, 4 a check failed).")
final class CheckCommand extends ConfiguredCommand implements Callable<Integer> {

    CheckCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        GpfoConfig config = loadConfig();
        out().println(CheckResult.ok("config", configPath() + " is valid").line());
        List<CheckResult> results = new LocalChecks(config, services.runner(), services.executables()).run();
        results.forEach(result -> out().println(result.line()));
        long failed = results.stream().filter(result -> result.status() == CheckResult.Status.FAIL).count();
        long warned = results.stream().filter(result -> result.status() == CheckResult.Status.WARN).count();
        if (failed > 0) {
            err().println("gpfo: " + failed + " check(s) failed, " + warned + " warning(s)");
            return ExitCode.UNHEALTHY;
        }
        err().println("gpfo: all " + (results.size() + 1) + " checks passed" + (warned > 0 ? ", " + warned + " warning(s)" : ""));
        return ExitCode.OK;
    }
}
