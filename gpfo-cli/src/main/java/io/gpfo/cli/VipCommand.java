package io.gpfo.cli;

import io.gpfo.status.ClusterStatus;
import io.gpfo.status.StatusReport;
import io.gpfo.evidence.EvidenceProbes;
import io.gpfo.vip.VipClaim;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
            description = "Brings the VIP up on this host and sends gratuitous ARP. Refuses (exit 3) when the peer holds it or"
                    + " is a primary, another host answers for it, this host is not the acting primary, or any of that cannot"
                    + " be established, unless --force.")
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
                refuseIfUnsafe(wiring);
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

        /** The one VIP-claim judgement, on facts asked now; anything but "claim" or "held here" refuses. */
        private void refuseIfUnsafe(Wiring wiring) {
            ExecutorService parallel = Executors.newCachedThreadPool();
            try {
                VipClaim.Verdict verdict = VipClaim.judge(new EvidenceProbes(wiring.access, wiring.sql, wiring.vip, parallel)
                        .claimFacts(wiring.sqlTimeout()));
                Optional<String> refusal = switch (verdict.kind()) {
                    case CLAIM, HELD -> Optional.empty();
                    case REFUSED -> Optional.of(verdict.reason() + "; use --force if you know the VIP must come up here");
                    case UNKNOWN -> Optional.of(verdict.reason() + ", so bringing the VIP up here could make two holders; use"
                            + " --force if you know it must");
                };
                refusal.ifPresent(why -> {
                    throw new GpfoException(ExitCode.REFUSED, "refusing: " + why);
                });
            } finally {
                parallel.shutdownNow();
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
            description = "Shows which hosts hold the VIP: ok, none, both, wrong_holder, or unknown when a host could not be"
                    + " asked (it says why). Exit 0 only for ok, else 4.")
    static final class Status extends ConfiguredCommand implements Callable<Integer> {

        @Mixin
        JsonOption json;

        Status(Services services) {
            super(services);
        }

        @Override
        public Integer call() throws Exception {
            Wiring wiring = Wiring.observing(loadConfig(), services);
            ClusterStatus status = StatusCommand.survey(wiring);
            if (json.json) {
                out().println(StatusReport.jsonText(status, StatusCommand.localAgent(wiring)));
            } else {
                // a host that could not be asked is named with why (a changed host key with its fix)
                String unasked = status.nodes().stream().filter(node -> node.holdsVip().isEmpty())
                        .map(node -> "; " + node.host() + " could not be asked: " + node.detail()).reduce("", String::concat);
                out().println(status.vipState().label() + "  " + status.vipAddress() + " held by "
                        + (status.vipHolders().isEmpty() ? "no host" : String.join(", ", status.vipHolders()))
                        + Optional.ofNullable(status.actingPrimary()).map(primary -> "; acting primary " + primary)
                                .orElse("; no acting primary") + unasked);
            }
            return status.vipState() == VipState.OK ? ExitCode.OK : ExitCode.UNHEALTHY;
        }
    }
}
