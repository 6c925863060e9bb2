package io.gpfo.cli;

import io.gpfo.config.GpfoConfig;
import io.gpfo.install.Distribution;
import io.gpfo.install.Facts;
import io.gpfo.install.HostFacts;
import io.gpfo.install.HostPlan;
import io.gpfo.install.InitSystem;
import io.gpfo.install.InstallFailure;
import io.gpfo.install.InstallPlan;
import io.gpfo.install.Installer;
import io.gpfo.install.LocalTarget;
import io.gpfo.install.PlanBuilder;
import io.gpfo.install.Requirements;
import io.gpfo.install.SshTarget;
import io.gpfo.install.SudoersDropIn;
import io.gpfo.install.TargetException;
import io.gpfo.node.NodeName;
import io.gpfo.port.CommandResult;
import io.gpfo.port.StepLog;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.RemoteSession;
import io.gpfo.ssh.SshException;
import io.gpfo.status.ClusterStatus;
import io.gpfo.status.StatusReport;
import io.gpfo.vip.DuplicateProbe;
import io.gpfo.vip.VipControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Installs gpfo on both coordinator hosts; run it as root on the coordinator host. Checks the"
                + " preconditions, prints the plan and asks once, then on the standby host (over SSH, through sudo -n) and"
                + " here: the distribution under /opt/gpfo/VERSION with /opt/gpfo/current and /usr/local/bin/gpfo,"
                + " /etc/gpfo/gpfo.yaml, the state directory, /etc/sudoers.d/gpfo and the service (systemd unit or SysV"
                + " init script), started. Then the VIP comes up here if no host holds it, and the status is shown.",
            "Running it again is safe: what is already right is left alone (each step says 'unchanged'), so after a"
                + " failure it resumes.",
            "Exit 0 installed (or the --dry-run plan), 1 a precondition or a step failed, 2 not root, configuration"
                + " error or not the coordinator host, 3 refused: the standby's host key is not verified, or not confirmed."})
final class InstallCommand extends ConfiguredCommand implements Callable<Integer> {

    static final Duration SUDO_TIMEOUT = Duration.ofSeconds(15);

    @Option(names = "--dry-run", description = "Check the preconditions and print the plan; change nothing.")
    boolean dryRun;

    @Option(names = "--init", paramLabel = "auto|systemd|sysv", defaultValue = "auto",
            description = "Service kind on both hosts: auto (systemd where /run/systemd/system exists, else SysV; the"
                    + " default), systemd or sysv.")
    String init;

    @Option(names = "--yes", description = "Do not ask for confirmation (required when not on a terminal).")
    boolean yes;

    InstallCommand(Services services) {
        super(services);
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Optional<InitSystem> override = initOverride(init);
        StepLog log = new PromoteCommand.StderrStepLog(err());
        requireRoot(services, log, "install");
        GpfoConfig config = loadConfig();
        log.ok("configuration " + configPath() + " is valid");
        Wiring wiring = Wiring.of(config, services);
        String here = wiring.access.host(wiring.local());
        String standby = config.standby().host();
        if (wiring.local() != NodeName.COORDINATOR) {
            log.failed("this host is the coordinator", "this is " + here + ", the configured standby host");
            throw new GpfoException(ExitCode.USAGE, "run gpfo install on the coordinator host " + config.coordinator().host()
                    + " (coordinator.host); nothing was changed");
        }
        log.ok("this host is the coordinator " + here);

        Checks checks = new Checks(log);
        String version = VersionProvider.version();
        Optional<Path> home = distribution(checks, version);
        greenplum(checks, wiring, here);
        try (LocalTarget local = new LocalTarget(here, services.runner());
                PeerConnection peer = PeerConnection.open(wiring, checks, "install")) {
            boolean bundled = home.map(path -> new Distribution(path, version, services.runner()).bundlesRuntime()).orElse(false);
            Optional<HostFacts> localFacts = facts(checks, local, config, override, bundled);
            Optional<HostFacts> peerFacts = peer.target().isPresent()
                    ? facts(checks, peer.target().get(), config, override, bundled) : Optional.empty();
            checks.finish("install");

            String configYaml = Files.readString(configPath(), StandardCharsets.UTF_8);
            PlanBuilder.Settings settings = new PlanBuilder.Settings(version, home.orElseThrow().toString(), configYaml,
                    config.greenplum().adminUser(), config.state().directory().toString());
            HostPlan standbyPlan = PlanBuilder.install(settings, host(standby, false, "over SSH as " + config.ssh().user()
                    + ", as root through sudo -n", override, peerFacts.orElseThrow(), SudoersDropIn.render(config,
                    peerFacts.get(), localFacts.orElseThrow())));
            HostPlan coordinatorPlan = PlanBuilder.install(settings, host(here, true, "this host", override,
                    localFacts.get(), SudoersDropIn.render(config, localFacts.get(), peerFacts.get())));
            InstallPlan plan = new InstallPlan("gpfo install plan: gpfo " + version + " from " + home.get(),
                    List.of(standbyPlan, coordinatorPlan),
                    List.of("VIP " + config.vip().cidr() + " up on " + here + " (" + config.vip().label()
                            + ") with gratuitous ARP, if no host holds it", "gpfo status"));
            if (dryRun) {
                plan.lines().forEach(out()::println);
                out().flush();
                err().println("gpfo: dry run: nothing was changed");
                return ExitCode.OK;
            }
            plan.lines().forEach(err()::println);
            confirm("Install gpfo " + version + " on " + standby + " and " + here + "? [y/N] ", yes, err());

            int changed = 0;
            int unchanged = 0;
            try (Distribution distribution = new Distribution(home.get(), version, services.runner())) {
                Installer installer = new Installer(log, Optional.of(distribution));
                for (Installer.HostOutcome outcome : List.of(installer.apply(standbyPlan, peer.target().get()),
                        installer.apply(coordinatorPlan, local))) {
                    changed += outcome.changed();
                    unchanged += outcome.unchanged();
                }
            } catch (InstallFailure failure) {
                throw new GpfoException(ExitCode.FAILED, stoppedMessage("install", failure, standby)
                        + " Fix the cause and run gpfo install again: it is idempotent and resumes where it stopped"
                        + " (finished steps say 'unchanged').");
            }
            boolean vipUp = vipUp(wiring, log, here, standby);
            ClusterStatus status = StatusCommand.survey(wiring);
            StatusReport.table(status, StatusCommand.agent(wiring)).forEach(out()::println);
            out().flush();
            err().printf("gpfo: installed gpfo %s on %s and %s in %.1f s: %d step(s) changed something, %d unchanged%n",
                    version, standby, here, (System.nanoTime() - started) / 1e9, changed, unchanged);
            return vipUp ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    static Optional<InitSystem> initOverride(String text) {
        try {
            return InitSystem.parseChoice(text);
        } catch (IllegalArgumentException e) {
            throw new GpfoException(ExitCode.USAGE, "--init: " + e.getMessage());
        }
    }

    /**
     * install and uninstall change system files on both hosts: they need root here (and sudo on
     * the peer). Not root is a usage error (exit 2), found before anything else is looked at.
     */
    static void requireRoot(Services services, StepLog log, String command) {
        if (!services.root()) {
            log.failed("running as root", "running as " + services.currentUser());
            throw new GpfoException(ExitCode.USAGE, "gpfo " + command + " changes system files on both coordinator hosts;"
                    + " run it as root: sudo gpfo " + command + "; nothing was changed");
        }
        log.ok("running as root");
    }

    /** Asks once on a terminal; without one, only --yes goes ahead (exit 3 otherwise). */
    static void confirm(String question, boolean yes, java.io.PrintWriter err) {
        if (yes) {
            return;
        }
        if (!Confirmation.ask(List.of(), question, err)) {
            throw new GpfoException(ExitCode.REFUSED, Confirmation.interactive()
                    ? "not confirmed; nothing was changed"
                    : "refusing without --yes: not on a terminal, so nobody can confirm; nothing was changed");
        }
    }

    /** The running distribution (gpfo.home), which install copies to both hosts. */
    private Optional<Path> distribution(Checks checks, String version) {
        Optional<Path> home = services.gpfoHome();
        if (home.isEmpty() || !Files.isRegularFile(home.get().resolve("bin/gpfo")) || !Files.isDirectory(home.get().resolve("lib"))) {
            checks.fail("distribution", home.map(path -> path + " has no bin/gpfo and lib/").orElse("gpfo was not started by"
                    + " its launcher (no gpfo.home)"), "run the gpfo of the unpacked distribution: DIR/bin/gpfo install",
                    ExitCode.FAILED);
            return Optional.empty();
        }
        if (version.equals("unknown")) {
            checks.fail("distribution", "this build does not know its version", "use a release build", ExitCode.FAILED);
            return Optional.empty();
        }
        checks.ok("distribution " + home.get() + " (gpfo " + version + ")");
        return home;
    }

    /** Greenplum must run here as primary with a standby streaming from it. */
    private static void greenplum(Checks checks, Wiring wiring, String here) {
        try {
            DatabaseStatus status = wiring.sql.status(here, wiring.config.coordinator().port(), wiring.sqlTimeout());
            if (status.inRecovery()) {
                checks.fail("Greenplum on " + here, "the database here is in recovery (a standby)", "run gpfo install on the"
                        + " coordinator while it is the primary", ExitCode.FAILED);
            } else if (status.senders().stream().noneMatch(DatabaseStatus.Sender::streaming)) {
                checks.fail("standby streaming", "no standby streams from " + here + " (no streaming WAL sender)",
                        "set up the standby first (gpinitstandby -s " + wiring.config.standby().host() + ") and let it catch up",
                        ExitCode.FAILED);
            } else {
                checks.ok("Greenplum on " + here + " is primary; a standby streams from it (lag "
                        + status.standbyLagBytes().orElse(0) + " bytes)");
            }
        } catch (CoordinatorSql.SqlUnavailable e) {
            checks.fail("Greenplum on " + here, "no SQL answer: " + e.getMessage(), "start Greenplum (gpstart -a)", ExitCode.FAILED);
        }
    }

    private static Optional<HostFacts> facts(Checks checks, io.gpfo.install.Target target, GpfoConfig config,
            Optional<InitSystem> override, boolean bundled) {
        HostFacts facts;
        try {
            facts = Facts.gather(target, config.greenplum().adminUser());
        } catch (TargetException e) {
            checks.fail("facts of " + target.host(), e.getMessage(), "check the host and run again", ExitCode.FAILED);
            return Optional.empty();
        }
        List<Requirements.Problem> problems = Requirements.check(target.host(), facts, config.greenplum().adminUser(),
                override, bundled);
        problems.forEach(problem -> checks.fail(problem.what(), problem.why(), problem.fix(), ExitCode.FAILED));
        if (problems.isEmpty()) {
            InitSystem chosen = InitSystem.choose(override, facts.systemdRunning());
            checks.ok("tools, java" + (bundled ? " (bundled runtime)" : " " + facts.javaMajor().orElse(0)) + " and user "
                    + config.greenplum().adminUser() + " on " + target.host() + "; init: " + chosen.label()
                    + (override.isPresent() ? " (--init)" : facts.systemdRunning() ? " (/run/systemd/system exists)"
                            : " (no /run/systemd/system)"));
        }
        return problems.isEmpty() ? Optional.of(facts) : Optional.empty();
    }

    private static PlanBuilder.Host host(String name, boolean local, String reach, Optional<InitSystem> override,
            HostFacts facts, String sudoers) {
        return new PlanBuilder.Host(name, local, reach, InitSystem.choose(override, facts.systemdRunning()),
                facts.adminGroup().orElseThrow(), facts.sysvRegistration(), facts.systemdRunning(), sudoers);
    }

    /** The operator's message after a failed step: where it stopped and what was done before. */
    static String stoppedMessage(String command, InstallFailure failure, String firstHost) {
        String before = failure.host().equals(firstHost) ? "" : "; " + firstHost + " was done before it";
        return command + " stopped at '" + failure.step().describe().replaceAll("\\s+", " ").strip() + "' on " + failure.host()
                + " (" + failure.done() + " step(s) before it done there, " + failure.changed() + " of them changed"
                + " something" + before + "); nothing after it was tried.";
    }

    /** The VIP comes up here, the coordinator, when no host holds it; false when that failed. */
    private static boolean vipUp(Wiring wiring, StepLog log, String here, String standby) {
        VipControl vip = wiring.vip;
        String cidr = wiring.config.vip().cidr();
        try {
            if (vip.heldLocally()) {
                log.ok("unchanged VIP " + cidr + " on " + here + ": already up");
                return true;
            }
            Optional<Boolean> onPeer = vip.heldBy(standby);
            if (onPeer.isEmpty()) {
                log.failed("VIP " + cidr + " up on " + here, "cannot ask " + standby + " whether it holds the VIP, so it was"
                        + " not brought up; when " + standby + " answers: gpfo vip up");
                return false;
            }
            if (onPeer.get()) {
                log.note("the VIP " + cidr + " is on " + standby + ": left there (gpfo status shows whether that is right)");
                return true;
            }
            DuplicateProbe probe = vip.duplicateCheck();
            if (probe.answered()) {
                log.failed("VIP " + cidr + " up on " + here, "another host (" + probe.replierMac().orElse("unknown MAC")
                        + ") answers ARP for " + wiring.config.vip().address() + "; find and remove it, then: gpfo vip up");
                return false;
            }
            vip.upLocally();
            log.ok("VIP " + cidr + " up on " + here + " (" + wiring.config.vip().label() + "), "
                    + wiring.config.vip().arpCount() + " gratuitous ARP sent");
            return true;
        } catch (VipControl.VipException e) {
            log.failed("VIP " + cidr + " up on " + here, e.getMessage() + "; then: gpfo vip up");
            return false;
        }
    }

    /**
     * Precondition lines: each OK or FAILED with the fix; all are checked (not just up to the
     * first failure) and the worst exit status wins.
     */
    static final class Checks {
        private final StepLog log;
        private final List<String> failed = new ArrayList<>();
        private int exitCode = ExitCode.OK;

        Checks(StepLog log) {
            this.log = log;
        }

        void ok(String what) {
            log.ok(what);
        }

        void fail(String what, String why, String fix, int code) {
            log.failed(what, why + " — " + fix);
            failed.add(what);
            if (exitCode == ExitCode.OK || code == ExitCode.REFUSED) {
                exitCode = code;
            }
        }

        /** Ends the command (nothing changed) when a precondition failed. */
        void finish(String command) {
            if (!failed.isEmpty()) {
                throw new GpfoException(exitCode, failed.size() + " precondition(s) of " + command + " not met ("
                        + String.join(", ", failed) + "); nothing was changed");
            }
        }
    }

    /**
     * The SSH connection to the peer, checked: host key verified (else refused, exit 3, before
     * anything is touched), then {@code sudo -n true}. Empty target when either failed.
     */
    static final class PeerConnection implements AutoCloseable {
        private final RemoteSession session;
        private final SshTarget target;

        private PeerConnection(RemoteSession session, SshTarget target) {
            this.session = session;
            this.target = target;
        }

        Optional<SshTarget> target() {
            return Optional.ofNullable(target);
        }

        static PeerConnection open(Wiring wiring, Checks checks, String command) {
            GpfoConfig config = wiring.config;
            String peer = wiring.access.host(wiring.peer());
            String user = config.ssh().user();
            RemoteSession session;
            try {
                session = wiring.access.remote().open(peer);
            } catch (SshException e) {
                boolean hostKey = e.kind() == SshException.Kind.HOST_KEY;
                checks.fail("ssh " + user + "@" + peer, e.getMessage(), hostKey
                        ? "gpfo " + command + " refuses to touch a host whose key is not verified"
                        : "make " + peer + " reachable over SSH (gpfo check shows the details)",
                        hostKey ? ExitCode.REFUSED : ExitCode.FAILED);
                return new PeerConnection(null, null);
            }
            checks.ok("ssh " + user + "@" + peer + " (host key verified against " + config.ssh().knownHosts() + ")");
            try {
                CommandResult sudo = session.run(List.of("sudo", "-n", "true"), SUDO_TIMEOUT);
                if (!sudo.ok()) {
                    checks.fail("sudo -n on " + peer, user + " cannot run commands as root there without a password ("
                            + sudo.failureSummary() + ")", "give " + user + " passwordless sudo on " + peer + " for the"
                            + " install (e.g. /etc/sudoers.d/" + user + ": '" + user + " ALL=(root) NOPASSWD: ALL'); gpfo"
                            + " itself needs only the rule it installs", ExitCode.FAILED);
                    session.close();
                    return new PeerConnection(null, null);
                }
            } catch (SshException e) {
                checks.fail("sudo -n on " + peer, e.getMessage(), "check the connection to " + peer, ExitCode.FAILED);
                session.close();
                return new PeerConnection(null, null);
            }
            checks.ok("sudo -n on " + peer + " as " + user);
            return new PeerConnection(session, new SshTarget(session));
        }

        @Override
        public void close() {
            if (target != null) {
                target.close();
            }
            if (session != null) {
                session.close();
            }
        }
    }
}
