package io.gpfo.install;

import io.gpfo.config.GpfoConfig;
import java.util.List;
import java.util.Optional;

/**
 * gpfo uninstall, run on either coordinator host: {@link #prepare} looks at both hosts and
 * builds the plan without changing anything; {@link Prepared#uninstall} removes gpfo from the
 * peer, then here. The VIP is left where it is and the state directory (the journal) is kept.
 */
public final class UninstallFlow {

    private static final String COMMAND = "uninstall";

    private final InstallPorts ports;

    public UninstallFlow(InstallPorts ports) {
        this.ports = ports;
    }

    /**
     * Looks at both hosts, each on its own line, and builds the plan.
     *
     * @param keepConfig leave /etc/gpfo on both hosts
     * @throws InstallStopped when a precondition failed
     */
    public Prepared prepare(boolean keepConfig) throws InstallStopped {
        GpfoConfig config = ports.config();
        Preconditions checks = new Preconditions(ports.log());
        BothHosts hosts = BothHosts.open(ports, checks, COMMAND);
        try {
            Optional<HostFacts> localFacts = facts(checks, hosts.local());
            Optional<HostFacts> peerFacts = hosts.peer().isPresent() ? facts(checks, hosts.peer().get()) : Optional.empty();
            checks.finish(COMMAND);

            HostPlan peerPlan = PlanBuilder.uninstall(host(ports.peer(), false, "over SSH as " + config.ssh().user()
                    + ", as root through sudo -n", peerFacts.orElseThrow()), keepConfig);
            HostPlan localPlan = PlanBuilder.uninstall(host(ports.here(), true, "this host", localFacts.orElseThrow()),
                    keepConfig);
            InstallPlan plan = new InstallPlan("gpfo uninstall plan:", List.of(peerPlan, localPlan), List.of(
                    "keep " + config.state().directory() + " on both hosts (the agents' journal: whether this pair was"
                            + " promoted or has a fence pending)",
                    "leave the VIP " + config.vip().cidr() + " where it is"));
            return new Prepared(hosts, peerPlan, localPlan, plan);
        } catch (InstallStopped | RuntimeException e) {
            hosts.close();
            throw e;
        }
    }

    /** The checked plan, with the connections to both hosts open; close it when done (or not going on). */
    public final class Prepared implements AutoCloseable {
        private final BothHosts hosts;
        private final HostPlan peerPlan;
        private final HostPlan localPlan;
        private final InstallPlan plan;

        private Prepared(BothHosts hosts, HostPlan peerPlan, HostPlan localPlan, InstallPlan plan) {
            this.hosts = hosts;
            this.peerPlan = peerPlan;
            this.localPlan = localPlan;
            this.plan = plan;
        }

        public InstallPlan plan() {
            return plan;
        }

        /**
         * Removes gpfo from the peer, then here; notes where the VIP was left and that the journal
         * was kept.
         *
         * @throws InstallStopped when a step failed (the message says where and what to do)
         */
        public void uninstall() throws InstallStopped {
            GpfoConfig config = ports.config();
            // asked before anything is removed: this very program may run from /opt/gpfo
            String holders = VipStep.holders(ports.vip(), ports.here(), ports.peer());
            hosts.apply(new Installer(ports.log(), Optional.empty()), peerPlan, localPlan, COMMAND,
                    "Fix the cause and run gpfo uninstall again (or gpfo install to go back).");
            ports.log().note("the VIP " + config.vip().cidr() + " was left where it is (" + holders + "); nothing watches"
                    + " it now. Take it down by hand if it must go: ip addr del " + config.vip().cidr() + " dev "
                    + config.vip().interfaceName());
            ports.log().note("kept " + config.state().directory() + " on both hosts: the agents' journal, which a reinstall"
                    + " resumes from (it says whether this pair was promoted); remove it by hand when it is no longer"
                    + " wanted");
        }

        @Override
        public void close() {
            hosts.close();
        }
    }

    private Optional<HostFacts> facts(Preconditions checks, Target target) {
        try {
            HostFacts facts = Facts.gather(target, ports.config().greenplum().adminUser());
            checks.ok("looked at " + target.host() + ": init " + InitSystem.choose(Optional.empty(), facts.systemdRunning())
                    .label());
            return Optional.of(facts);
        } catch (TargetException e) {
            checks.fail("facts of " + target.host(), e.getMessage(), "check the host and run again");
            return Optional.empty();
        }
    }

    private static PlanBuilder.Host host(String name, boolean local, String reach, HostFacts facts) {
        return new PlanBuilder.Host(name, local, reach, InitSystem.choose(Optional.empty(), facts.systemdRunning()),
                facts.adminGroup().orElse("root"), facts.sysvRegistration(), facts.systemdRunning(), "");
    }
}
