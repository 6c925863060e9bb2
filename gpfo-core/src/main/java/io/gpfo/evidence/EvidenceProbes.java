package io.gpfo.evidence;

import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Observation;
import io.gpfo.node.Inspection;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.node.Postmasters;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.Scripts;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.SshException;
import io.gpfo.ssh.SshFailure;
import io.gpfo.vip.DuplicateProbe;
import io.gpfo.vip.VipControl;
import io.gpfo.vip.VipClaim;
import io.gpfo.node.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The probes that gather evidence about a coordinator, for the agent's rounds and the manual
 * promotion alike: one way to ask each question, each answer a record. Each call is blocking and
 * bounded by its own timeout; callers run them in parallel.
 */
public final class EvidenceProbes {

    private static final String WITNESS_SCRIPT = Scripts.load(EvidenceProbes.class, "witness.sh");

    private final NodeAccess access;
    private final CoordinatorSql sql;
    private final VipControl vip;
    private final Postmasters postmasters;
    private final Executor fanOut;

    /** @param fanOut runs the witnesses' questions in parallel (blocking SSH calls: not the common pool) */
    public EvidenceProbes(NodeAccess access, CoordinatorSql sql, VipControl vip, Executor fanOut) {
        this.access = access;
        this.sql = sql;
        this.vip = vip;
        this.postmasters = new Postmasters(access);
        this.fanOut = fanOut;
    }

    /** A database's SQL answer, or why there was none. */
    public record SqlAnswer(Optional<DatabaseStatus> status, String error) {
    }

    /** A coordinator's postmaster seen on its host, or why SSH could not look. */
    public record PostmasterView(Optional<Inspection> inspection, Optional<SshFailure> failure) {
        public static PostmasterView seen(Inspection inspection) {
            return new PostmasterView(Optional.of(inspection), Optional.empty());
        }

        public static PostmasterView unreachable(SshFailure why) {
            return new PostmasterView(Optional.empty(), Optional.of(why));
        }

        /** No answer in time, or one that could not be read: not an SSH failure of a known kind. */
        public static PostmasterView unreachable(String why) {
            return unreachable(SshFailure.noAnswer(why));
        }

        /** Why SSH could not look, for messages; empty when it did. */
        public String sshError() {
            return failure.map(SshFailure::message).orElse("");
        }
    }

    public SqlAnswer sql(GpfoConfig.Node node, Duration timeout) {
        try {
            return new SqlAnswer(Optional.of(sql.status(node.host(), node.port(), timeout)), "");
        } catch (CoordinatorSql.SqlUnavailable e) {
            return new SqlAnswer(Optional.empty(), String.valueOf(e.getMessage()));
        }
    }

    public PostmasterView postmaster(NodeName node) {
        try {
            return PostmasterView.seen(postmasters.inspect(node));
        } catch (SshException e) {
            return PostmasterView.unreachable(SshFailure.of(e));
        } catch (RuntimeException e) {
            return PostmasterView.unreachable(String.valueOf(e.getMessage()));
        }
    }

    /** Does anyone answer ARP for the VIP? Asked only while this host does not hold it (empty otherwise, or on failure). */
    public Optional<DuplicateProbe> vipProbe() {
        try {
            return vip.heldLocally() ? Optional.empty() : Optional.of(vip.duplicateCheck());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * What the VIP-claim judgement needs, asked at once, for the commands that bring the VIP up by
     * hand or at install (the agent takes the same facts from its round): this host's role, who holds
     * the VIP, whether the peer is a primary, and whether anyone answers ARP for it.
     */
    public VipClaim.Facts claimFacts(Duration timeout) {
        GpfoConfig config = access.config();
        NodeName local = access.local();
        String peerHost = access.host(local.peer());
        var localSql = CompletableFuture.supplyAsync(() -> sql(local.of(config), timeout), fanOut);
        var peerSql = CompletableFuture.supplyAsync(() -> sql(local.peer().of(config), timeout), fanOut);
        var peerVip = CompletableFuture.supplyAsync(() -> vip.heldBy(peerHost), fanOut);
        var arp = CompletableFuture.supplyAsync(this::vipProbe, fanOut);
        Role localRole = localSql.join().status().map(status -> status.inRecovery() ? Role.STANDBY : Role.PRIMARY)
                .orElse(Role.UNKNOWN);
        VipClaim.PeerRole peerRole = peerSql.join().status().map(status -> status.inRecovery() ? VipClaim.PeerRole.NOT_PRIMARY
                : VipClaim.PeerRole.PRIMARY).orElse(VipClaim.PeerRole.UNKNOWN);
        VipClaim.PeerVip holder = peerVip.join().map(holds -> holds ? VipClaim.PeerVip.HOLDS : VipClaim.PeerVip.FREE)
                .orElse(VipClaim.PeerVip.UNKNOWN);
        return new VipClaim.Facts(peerHost, localRole, vip.heldLocally(), holder, peerRole, arp.join());
    }

    /** One ping, for the rare probes (the gateway, while suspect). */
    public boolean ping(String address, Duration timeout) {
        CommandResult result = access.runner().run(new CommandRunner.Command(
                List.of("ping", "-n", "-q", "-c", "1", "-W", wholeSeconds(timeout), address), Map.of(), null,
                timeout.plusSeconds(1)));
        return result.ok();
    }

    /** Each witness asked at once over SSH whether it reaches {@code coordinator}; a silent witness is no vote. */
    public Observation.Witnesses witnesses(GpfoConfig.Node coordinator, Duration timeout) {
        List<String> hosts = access.config().witnesses().hosts();
        if (hosts.isEmpty()) {
            return Observation.Witnesses.NONE;
        }
        List<CompletableFuture<Observation.WitnessVote>> votes = hosts.stream()
                .map(witness -> CompletableFuture.supplyAsync(() -> vote(witness, coordinator, timeout), fanOut)).toList();
        return new Observation.Witnesses(hosts.size(), votes.stream().map(CompletableFuture::join).toList());
    }

    private Observation.WitnessVote vote(String witness, GpfoConfig.Node coordinator, Duration timeout) {
        try {
            CommandResult result = access.remote().run(witness, List.of("bash", "-c", WITNESS_SCRIPT, "witness",
                    coordinator.host(), Integer.toString(coordinator.port()), wholeSeconds(timeout)), timeout.plusSeconds(3));
            return result.ok() ? Observation.WitnessVote.parse(witness, result.stdout()) : Observation.WitnessVote.silent(witness);
        } catch (SshException e) {
            return Observation.WitnessVote.unasked(witness, SshFailure.of(e));
        }
    }

    /** ping and timeout take whole seconds: rounded up, at least one. */
    public static String wholeSeconds(Duration timeout) {
        return Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
    }
}
