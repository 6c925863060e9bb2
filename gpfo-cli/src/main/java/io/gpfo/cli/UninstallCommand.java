package io.gpfo.cli;

import io.gpfo.config.GpfoConfig;
import io.gpfo.install.Facts;
import io.gpfo.install.HostFacts;
import io.gpfo.install.HostPlan;
import io.gpfo.install.InitSystem;
import io.gpfo.install.InstallFailure;
import io.gpfo.install.InstallPlan;
import io.gpfo.install.Installer;
import io.gpfo.install.LocalTarget;
import io.gpfo.install.PlanBuilder;
import io.gpfo.install.Target;
import io.gpfo.install.TargetException;
import io.gpfo.port.StepLog;
import io.gpfo.vip.VipControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = {"Removes gpfo from both coordinator hosts (run it as root on either): stops and deregisters the"
                + " service, removes /opt/gpfo, /usr/local/bin/gpfo, /etc/sudoers.d/gpfo and /etc/gpfo. The VIP is left"
                + " where it is, and the state directory (the agents' journal) is kept.",
            "Exit 0 removed, 1 a precondition or a step failed, 2 not root or configuration error, 3 refused: the peer's"
                + " host key is not verified, or not confirmed."})
final class UninstallCommand extends ConfiguredCommand implements Callable<Integer> {

    @Option(names = "--yes", description = "Do not ask for confirmation (required when not on a terminal).")
    boolean yes;

    @Option(names = "--keep-config", description = "Leave /etc/gpfo (gpfo.yaml) on both hosts.")
    boolean keepConfig;

    UninstallCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        StepLog log = new PromoteCommand.StderrStepLog(err());
        InstallCommand.requireRoot(services, log, "uninstall");
        GpfoConfig config = loadConfig();
        log.ok("configuration " + configPath() + " is valid");
        Wiring wiring = Wiring.of(config, services);
        String here = wiring.access.host(wiring.local());
        String peer = wiring.access.host(wiring.peer());
        InstallCommand.Checks checks = new InstallCommand.Checks(log);
        try (LocalTarget local = new LocalTarget(here, services.runner());
                InstallCommand.PeerConnection connection = InstallCommand.PeerConnection.open(wiring, checks, "uninstall")) {
            Optional<HostFacts> localFacts = facts(checks, local, config);
            Optional<HostFacts> peerFacts = connection.target().isPresent()
                    ? facts(checks, connection.target().get(), config) : Optional.empty();
            checks.finish("uninstall");

            HostPlan peerPlan = PlanBuilder.uninstall(host(peer, false, "over SSH as " + config.ssh().user()
                    + ", as root through sudo -n", peerFacts.orElseThrow()), keepConfig);
            HostPlan localPlan = PlanBuilder.uninstall(host(here, true, "this host", localFacts.orElseThrow()), keepConfig);
            String state = config.state().directory().toString();
            InstallPlan plan = new InstallPlan("gpfo uninstall plan:", List.of(peerPlan, localPlan), List.of(
                    "keep " + state + " on both hosts (the agents' journal: whether this pair was promoted or has a"
                            + " fence pending)",
                    "leave the VIP " + config.vip().cidr() + " where it is"));
            plan.lines().forEach(err()::println);
            InstallCommand.confirm("Remove gpfo from " + peer + " and " + here + "? [y/N] ", yes, err());

            // asked before anything is removed: this very program may run from /opt/gpfo
            String holders = vipHolders(wiring, here, peer);
            try {
                Installer installer = new Installer(log, Optional.empty());
                installer.apply(peerPlan, connection.target().get());
                installer.apply(localPlan, local);
            } catch (InstallFailure failure) {
                throw new GpfoException(ExitCode.FAILED, InstallCommand.stoppedMessage("uninstall", failure, peer)
                        + " Fix the cause and run gpfo uninstall again (or gpfo install to go back).");
            }
            log.note("the VIP " + config.vip().cidr() + " was left where it is (" + holders + "); nothing watches it now."
                    + " Take it down by hand if it must go: ip addr del " + config.vip().cidr() + " dev "
                    + config.vip().interfaceName());
            log.note("kept " + state + " on both hosts: the agents' journal, which a reinstall resumes from (it says"
                    + " whether this pair was promoted); remove it by hand when it is no longer wanted");
            err().println("gpfo: removed from " + peer + " and " + here);
            return ExitCode.OK;
        }
    }

    private static Optional<HostFacts> facts(InstallCommand.Checks checks, Target target, GpfoConfig config) {
        try {
            HostFacts facts = Facts.gather(target, config.greenplum().adminUser());
            checks.ok("looked at " + target.host() + ": init " + InitSystem.choose(Optional.empty(), facts.systemdRunning()).label());
            return Optional.of(facts);
        } catch (TargetException e) {
            checks.fail("facts of " + target.host(), e.getMessage(), "check the host and run again", ExitCode.FAILED);
            return Optional.empty();
        }
    }

    private static PlanBuilder.Host host(String name, boolean local, String reach, HostFacts facts) {
        return new PlanBuilder.Host(name, local, reach, InitSystem.choose(Optional.empty(), facts.systemdRunning()),
                facts.adminGroup().orElse("root"), facts.sysvRegistration(), facts.systemdRunning(), "");
    }

    private static String vipHolders(Wiring wiring, String here, String peer) {
        List<String> holders = new ArrayList<>();
        try {
            if (wiring.vip.heldLocally()) {
                holders.add(here);
            }
        } catch (VipControl.VipException e) {
            holders.add(here + "?");
        }
        wiring.vip.heldBy(peer).ifPresentOrElse(held -> {
            if (held) {
                holders.add(peer);
            }
        }, () -> holders.add(peer + "?"));
        return holders.isEmpty() ? "on no host" : "on " + String.join(", ", holders);
    }
}
