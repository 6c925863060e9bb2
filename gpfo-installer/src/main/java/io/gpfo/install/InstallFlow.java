package io.gpfo.install;

import io.gpfo.config.GpfoConfig;
import io.gpfo.node.NodeName;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * gpfo install, run on the coordinator host: {@link #prepare} checks every precondition and
 * builds the plan without changing anything; {@link Prepared#install} carries it out on the
 * standby, then here, and brings the VIP up here when no host holds it. The caller prints the
 * plan, asks, and shows the status afterwards.
 */
public final class InstallFlow {

    private static final String COMMAND = "install";

    private final InstallPorts ports;

    public InstallFlow(InstallPorts ports) {
        this.ports = ports;
    }

    /**
     * @param distribution the running distribution (gpfo.home), which install copies to both hosts
     * @param version      its version; "unknown" for a build that does not know it
     * @param configYaml   the configuration's text as it was validated ({@link io.gpfo.config.ConfigLoader#loadWithText}),
     *                     installed as it is on both hosts: never read again from its path, which may have changed since
     * @param init         {@code --init}, when given
     * @param root         whether install runs as root: only then must the distribution be a tree only root can
     *                     change (a dry run by another user may show the plan of any tree)
     */
    public record Request(Optional<Path> distribution, String version, String configYaml, Optional<InitSystem> init,
            boolean root) {
    }

    /** What install did: steps on both hosts, and the VIP step. */
    public record Result(int changed, int unchanged, VipStep.Result vip) {
    }

    /**
     * Checks the preconditions, each on its own line, and builds the plan.
     *
     * @throws InstallStopped when this is not the coordinator host or a precondition failed
     * @throws IOException    when the configuration file cannot be read
     */
    public Prepared prepare(Request request) throws InstallStopped, IOException {
        GpfoConfig config = ports.config();
        String here = ports.here();
        if (ports.access().local() != NodeName.COORDINATOR) {
            ports.log().failed("this host is the coordinator", "this is " + here + ", the configured standby host");
            throw new InstallStopped(InstallStopped.Reason.NOT_THE_COORDINATOR, "run gpfo install on the coordinator host "
                    + config.coordinator().host() + " (coordinator.host); nothing was changed");
        }
        ports.log().ok("this host is the coordinator " + here);

        Preconditions checks = new Preconditions(ports.log());
        Optional<Path> home = distribution(checks, request, ports.tree());
        greenplum(checks);
        BothHosts hosts = BothHosts.open(ports, checks, COMMAND);
        try {
            Optional<Distribution> running = home.map(path -> new Distribution(path, request.version(), ports.access().runner()));
            boolean bundled = running.map(Distribution::bundlesRuntime).orElse(false);
            Optional<HostFacts> localFacts = facts(checks, hosts.local(), request.init(), bundled);
            Optional<HostFacts> peerFacts = hosts.peer().isPresent()
                    ? facts(checks, hosts.peer().get(), request.init(), bundled) : Optional.empty();
            checks.finish(COMMAND);

            PlanBuilder.Settings settings = new PlanBuilder.Settings(request.version(), home.orElseThrow().toString(),
                    request.configYaml(), config.greenplum().adminUser(), config.state().directory().toString(),
                    running.orElseThrow().manPages());
            String standby = ports.peer();
            HostPlan standbyPlan = PlanBuilder.install(settings, host(standby, false, "over SSH as " + config.ssh().user()
                    + ", as root through sudo -n", request.init(), peerFacts.orElseThrow(), SudoersDropIn.render(config,
                    peerFacts.get(), localFacts.orElseThrow())));
            HostPlan coordinatorPlan = PlanBuilder.install(settings, host(here, true, "this host", request.init(),
                    localFacts.get(), SudoersDropIn.render(config, localFacts.get(), peerFacts.get())));
            InstallPlan plan = new InstallPlan("gpfo install plan: gpfo " + request.version() + " from " + home.get(),
                    List.of(standbyPlan, coordinatorPlan),
                    List.of("VIP " + config.vip().cidr() + " up on " + here + " (" + config.vip().label()
                            + ") with gratuitous ARP, if no host holds it", "gpfo status"));
            return new Prepared(hosts, home.get(), request.version(), standbyPlan, coordinatorPlan, plan);
        } catch (InstallStopped | IOException | RuntimeException e) {
            hosts.close();
            throw e;
        }
    }

    /** The checked plan, with the connections to both hosts open; close it when done (or not going on). */
    public final class Prepared implements AutoCloseable {
        private final BothHosts hosts;
        private final Path home;
        private final String version;
        private final HostPlan standbyPlan;
        private final HostPlan coordinatorPlan;
        private final InstallPlan plan;

        private Prepared(BothHosts hosts, Path home, String version, HostPlan standbyPlan, HostPlan coordinatorPlan,
                InstallPlan plan) {
            this.hosts = hosts;
            this.home = home;
            this.version = version;
            this.standbyPlan = standbyPlan;
            this.coordinatorPlan = coordinatorPlan;
            this.plan = plan;
        }

        public InstallPlan plan() {
            return plan;
        }

        /**
         * Installs on the standby, then here, then the VIP step.
         *
         * @throws InstallStopped when a step failed (the message says where, and that running again resumes)
         */
        public Result install() throws InstallStopped {
            BothHosts.StepCounts counts;
            try (Distribution distribution = new Distribution(home, version, ports.access().runner())) {
                counts = hosts.apply(new Installer(ports.log(), Optional.of(distribution)), standbyPlan, coordinatorPlan,
                        COMMAND, "Fix the cause and run gpfo install again: it is idempotent and resumes where it stopped"
                                + " (finished steps say 'unchanged').");
            }
            VipStep.Result vip = VipStep.upUnlessHeld(ports);
            return new Result(counts.changed(), counts.unchanged(), vip);
        }

        @Override
        public void close() {
            hosts.close();
        }
    }

    /** How many unsafe entries of the distribution are looked for: the first names the fix, the count says how far it goes. */
    private static final int UNSAFE_LIMIT = 10;

    /**
     * The running distribution (gpfo.home), which install copies to both hosts and runs as root
     * there: as root, only a tree that only root can change is taken.
     */
    private static Optional<Path> distribution(Preconditions checks, Request request, DistributionTree tree) {
        Optional<Path> home = request.distribution();
        if (home.isEmpty() || !Files.isRegularFile(home.get().resolve("bin/gpfo")) || !Files.isDirectory(home.get().resolve("lib"))) {
            checks.fail("distribution", home.map(path -> path + " has no bin/gpfo and lib/").orElse("gpfo was not started by"
                    + " its launcher (no gpfo.home)"), "run the gpfo of the unpacked distribution: DIR/bin/gpfo install");
            return Optional.empty();
        }
        if (request.version().equals("unknown")) {
            checks.fail("distribution", "this build does not know its version", "use a release build");
            return Optional.empty();
        }
        if (request.root() && !safe(checks, home.get(), tree)) {
            return Optional.empty();
        }
        checks.ok("distribution " + home.get() + " (gpfo " + request.version() + ")");
        return home;
    }

    /** Refuses (one line: the first unsafe entry and the fix) a tree another user could change. */
    private static boolean safe(Preconditions checks, Path home, DistributionTree tree) {
        List<DistributionTree.Finding> unsafe;
        try {
            unsafe = DistributionTree.unsafe(tree.walk(home), UNSAFE_LIMIT);
        } catch (IOException | UncheckedIOException | UnsupportedOperationException e) {
            checks.fail("distribution", "cannot read the owners and modes under " + home + ": " + e.getMessage(),
                    "unpack the release tarball as root on a local file system and run its bin/gpfo install");
            return false;
        }
        if (unsafe.isEmpty()) {
            return true;
        }
        DistributionTree.Finding first = unsafe.get(0);
        String more = unsafe.size() == 1 ? "" : " (and " + (unsafe.size() == UNSAFE_LIMIT ? "at least " : "")
                + (unsafe.size() - 1) + " more)";
        String fix = first.kind() == DistributionTree.Finding.Kind.LINK_OUT
                ? "gpfo install copies the tree and runs it as root; unpack the release tarball again, as root"
                : "gpfo install copies the tree and runs it as root; chown -R root:root " + home + " && chmod -R go-w "
                        + home + ", or unpack the release tarball as root";
        checks.refuse("distribution", first.why() + more, fix);
        return false;
    }

    /** Greenplum must run here as primary with a standby streaming from it. */
    private void greenplum(Preconditions checks) {
        String here = ports.here();
        try {
            DatabaseStatus status = ports.sql().status(here, ports.config().coordinator().port(), ports.sqlTimeout());
            if (status.inRecovery()) {
                checks.fail("Greenplum on " + here, "the database here is in recovery (a standby)", "run gpfo install on the"
                        + " coordinator while it is the primary");
            } else if (status.senders().stream().noneMatch(DatabaseStatus.Sender::streaming)) {
                checks.fail("standby streaming", "no standby streams from " + here + " (no streaming WAL sender)",
                        "set up the standby first (gpinitstandby -s " + ports.config().standby().host() + ") and let it"
                                + " catch up");
            } else {
                checks.ok("Greenplum on " + here + " is primary; a standby streams from it (lag "
                        + status.standbyLagBytes().orElse(0) + " bytes)");
            }
        } catch (CoordinatorSql.SqlUnavailable e) {
            checks.fail("Greenplum on " + here, "no SQL answer: " + e.getMessage(), "start Greenplum (gpstart -a)");
        }
    }

    private Optional<HostFacts> facts(Preconditions checks, Target target, Optional<InitSystem> override, boolean bundled) {
        String adminUser = ports.config().greenplum().adminUser();
        HostFacts facts;
        try {
            facts = Facts.gather(target, adminUser);
        } catch (TargetException e) {
            checks.fail("facts of " + target.host(), e.getMessage(), "check the host and run again");
            return Optional.empty();
        }
        List<Requirements.Problem> problems = Requirements.check(target.host(), facts, adminUser, override, bundled);
        problems.forEach(problem -> checks.fail(problem.what(), problem.why(), problem.fix()));
        if (problems.isEmpty()) {
            InitSystem chosen = InitSystem.choose(override, facts.systemdRunning());
            checks.ok("tools, java" + (bundled ? " (bundled runtime)" : " " + facts.javaMajor().orElse(0)) + " and user "
                    + adminUser + " on " + target.host() + "; init: " + chosen.label()
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
}
