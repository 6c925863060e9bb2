package io.gpfo.cli;

import io.gpfo.port.PrintedStepLog;
import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.install.InitSystem;
import io.gpfo.install.InstallFlow;
import io.gpfo.install.InstallStopped;
import io.gpfo.install.Preconditions;
import io.gpfo.port.StepLog;
import io.gpfo.status.ClusterStatus;
import io.gpfo.status.StatusReport;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "install", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCode.LIST_HEADING,
        exitCodeList = {ExitCode.OK_ENTRY, ExitCode.FAILED_ENTRY, ExitCode.USAGE_ENTRY, ExitCode.REFUSED_ENTRY,
            ExitCode.INTERRUPTED_ENTRY},
        description = {"Installs gpfo on both coordinator hosts; run it as root on the coordinator host. Checks the"
                + " preconditions, prints the plan and asks once, then on the standby host (over SSH, through sudo -n) and"
                + " here: the distribution under /opt/gpfo/VERSION with /opt/gpfo/current and /usr/local/bin/gpfo,"
                + " /etc/gpfo/gpfo.yaml, the state directory, /etc/sudoers.d/gpfo and the service (systemd unit or SysV"
                + " init script), started. Then the VIP comes up here if no host holds it, and the status is shown.",
            "Running it again is safe: what is already right is left alone (each step says 'unchanged'), so after a"
                + " failure it resumes.",
            "Exit 0 installed (or the --dry-run plan, which needs no root), 1 a precondition or a step failed, 2 not root, configuration"
                + " error or not the coordinator host, 3 refused: the standby's host key is not verified, the distribution"
                + " is not root's alone (chown -R root:root DIR && chmod -R go-w DIR, or unpack it as root), or not"
                + " confirmed."})
final class InstallCommand extends ConfiguredCommand implements Callable<Integer> {

    @Mixin
    DryRunOption dryRun;

    @Option(names = "--init", paramLabel = "auto|systemd|sysv", defaultValue = "auto", completionCandidates = InitChoices.class,
            description = "Service kind on both hosts: auto (systemd where /run/systemd/system exists, else SysV; the"
                    + " default), systemd or sysv.")
    String init;

    @Mixin
    YesOption confirmation;

    InstallCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Optional<InitSystem> override = initOverride(init);
        StepLog log = new PrintedStepLog(err()::println);
        try {
            if (dryRun.dryRun && !services.root()) {
                // the plan changes nothing: anyone may read it before asking for sudo
                log.note("not root: this dry run shows the plan; the install itself needs root (sudo gpfo install) to write"
                        + " /opt/gpfo, /usr/local/bin/gpfo, /etc/gpfo, /etc/sudoers.d/gpfo, the man pages and completion, the"
                        + " service, to own the state directory, and to bring the VIP up");
            } else {
                Preconditions.requireRoot(services.root(), services.currentUser(), log, "install");
            }
            // read once: the text validated here is the text installed, whatever happens to the file meanwhile
            ConfigLoader.Loaded loaded = services.configLoader().loadWithText(configPath());
            GpfoConfig config = loaded.config();
            log.ok("configuration " + configPath() + " is valid");
            Wiring wiring = Wiring.of(config, services);
            String version = VersionProvider.version();
            InstallFlow.Request request = new InstallFlow.Request(services.gpfoHome(), version, loaded.text(), override,
                    services.root());
            try (InstallFlow.Prepared install = new InstallFlow(wiring.installPorts(log)).prepare(request)) {
                String here = wiring.access.host(wiring.local());
                String standby = wiring.access.host(wiring.peer());
                if (dryRun.dryRun) {
                    install.plan().lines().forEach(out()::println);
                    out().flush();
                    err().println("gpfo: dry run: nothing was changed");
                    return ExitCode.OK;
                }
                install.plan().lines().forEach(err()::println);
                Confirmation.require(List.of(), "Install gpfo " + version + " on " + standby + " and " + here + "? [y/N] ",
                        confirmation.yes, err());
                InstallFlow.Result result = install.install();
                ClusterStatus status = StatusCommand.survey(wiring);
                StatusReport.table(status, StatusCommand.localAgent(wiring)).forEach(out()::println);
                out().flush();
                err().printf("gpfo: installed gpfo %s on %s and %s in %.1f s: %d step(s) changed something, %d unchanged%n",
                        version, standby, here, (System.nanoTime() - started) / 1e9, result.changed(), result.unchanged());
                return result.vip().ok() ? ExitCode.OK : ExitCode.FAILED;
            }
        } catch (InstallStopped stopped) {
            throw GpfoException.of(stopped);
        }
    }

    /** What --init takes, for shell completion: auto and each init system. */
    static final class InitChoices implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Stream.concat(Stream.of("auto"), Stream.of(InitSystem.values()).map(InitSystem::label)).iterator();
        }
    }

    static Optional<InitSystem> initOverride(String text) {
        try {
            return InitSystem.parseChoice(text);
        } catch (IllegalArgumentException e) {
            throw new GpfoException(ExitCode.USAGE, "--init: " + e.getMessage());
        }
    }
}
