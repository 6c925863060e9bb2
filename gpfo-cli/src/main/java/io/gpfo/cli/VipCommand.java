package io.gpfo.cli;

import io.gpfo.status.ClusterStatus;
import io.gpfo.status.StatusReport;
import io.gpfo.vip.DuplicateProbe;
import io.gpfo.vip.VipControl;
import io.gpfo.vip.VipState;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "vip", mixinStandardHelpOptions = true, description = "Brings the VIP up or down on this host, or shows where it is.",
        subcommands = {VipCommand.Up.class, VipCommand.Down.class, VipCommand.Status.class})
final class VipCommand {

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Brings the VIP up on this host and sends gratuitous ARP. Refuses (exit 3) when the peer holds it,"
                    + " another host answers for it, or this host is not the acting primary, unless --force.")
    static final class Up extends ConfiguredCommand implements Callable<Integer> {

        @Option(names = "--force", description = "Skip the safety checks (peer, duplicate address, primary role).")
        boolean force;

        Up(Services services) {
            super(services);
        }

        @Override
        public Integer call() throws Exception {
            Wiring wiring = Wiring.of(loadConfig(), services);
            VipControl vip = wiring.vip;
            String address = wiring.config.vip().address().toString();
            if (!force) {
                refuseIfUnsafe(wiring, vip);
            }
            try {
                vip.upLocally();
            } catch (VipControl.VipException e) {
                throw new GpfoException(ExitCode.FAILED, "VIP " + address + " not brought up: " + e.getMessage());
            }
            err().println("OK      VIP " + wiring.config.vip().cidr() + " up on " + wiring.config.vip().label() + ", "
                    + wiring.config.vip().arpCount() + " gratuitous ARP sent");
            return ExitCode.OK;
        }

        private void refuseIfUnsafe(Wiring wiring, VipControl vip) {
            String peerHost = wiring.access.host(wiring.peer());
            if (vip.heldBy(peerHost).orElse(false)) {
                throw new GpfoException(ExitCode.REFUSED, "refusing: " + peerHost + " holds the VIP; run 'gpfo vip down' there"
                        + " first, or use --force if you know it must move");
            }
            boolean heldHere = vip.heldLocally();
            if (!heldHere) {
                DuplicateProbe probe;
                try {
                    probe = vip.duplicateCheck();
                } catch (VipControl.VipException e) {
                    throw new GpfoException(ExitCode.FAILED, "cannot check for a duplicate VIP: " + e.getMessage());
                }
                if (probe.answered()) {
                    throw new GpfoException(ExitCode.REFUSED, "refusing: another host (" + probe.replierMac().orElse("unknown MAC")
                            + ") answers ARP for " + wiring.config.vip().address() + "; find and remove it, or use --force");
                }
            }
            try {
                var status = wiring.sql.status(wiring.access.host(wiring.local()), wiring.local().of(wiring.config).port(),
                        wiring.sqlTimeout());
                if (status.inRecovery()) {
                    throw new GpfoException(ExitCode.REFUSED, "refusing: this host's database is a standby; only the acting"
                            + " primary may hold the VIP (use --force to override)");
                }
            } catch (io.gpfo.sql.CoordinatorSql.SqlUnavailable e) {
                throw new GpfoException(ExitCode.REFUSED, "refusing: this host's database does not answer SQL (" + e.getMessage()
                        + "); only the acting primary may hold the VIP (use --force to override)");
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Takes the VIP down on this host (idempotent).")
    static final class Down extends ConfiguredCommand implements Callable<Integer> {

        Down(Services services) {
            super(services);
        }

        @Override
        public Integer call() throws Exception {
            Wiring wiring = Wiring.of(loadConfig(), services);
            try {
                boolean held = wiring.vip.heldLocally();
                wiring.vip.downLocally();
                err().println("OK      VIP " + wiring.config.vip().cidr() + (held ? " removed from " : " was not on ")
                        + wiring.config.vip().interfaceName());
            } catch (VipControl.VipException e) {
                throw new GpfoException(ExitCode.FAILED, "VIP not taken down: " + e.getMessage());
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            exitCodeListHeading = ExitCode.LIST_HEADING,
            exitCodeList = {ExitCode.OK_ENTRY, ExitCode.FAILED_ENTRY, ExitCode.USAGE_ENTRY, ExitCode.UNHEALTHY_ENTRY,
                ExitCode.INTERRUPTED_ENTRY},
            description = "Shows which hosts hold the VIP: ok, none, both or wrong_holder. Exit 0 only for ok, else 4.")
    static final class Status extends ConfiguredCommand implements Callable<Integer> {

        @Mixin
        JsonOption json;

        Status(Services services) {
            super(services);
        }

        @Override
        public Integer call() throws Exception {
            Wiring wiring = Wiring.of(loadConfig(), services);
            ClusterStatus status = StatusCommand.survey(wiring);
            if (json.json) {
                out().println(StatusReport.jsonText(status, StatusCommand.agent(wiring)));
            } else {
                out().println(status.vipState().label() + "  " + status.vipAddress() + " held by "
                        + (status.vipHolders().isEmpty() ? "no host" : String.join(", ", status.vipHolders()))
                        + Optional.ofNullable(status.actingPrimary()).map(primary -> "; acting primary " + primary)
                                .orElse("; no acting primary"));
            }
            return status.vipState() == VipState.OK ? ExitCode.OK : ExitCode.UNHEALTHY;
        }
    }
}
