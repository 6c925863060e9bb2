package io.gpfo.promote;

import io.gpfo.config.GpfoConfig;
import io.gpfo.greenplum.GreenplumOutput;
import io.gpfo.greenplum.GreenplumRelease;
import io.gpfo.greenplum.VersionDetector;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.node.Role;
import io.gpfo.evidence.EvidenceProbes;
import io.gpfo.fence.Fencing;
import io.gpfo.vip.VipClaim;
import io.gpfo.port.Clock;
import io.gpfo.port.CommandResult;
import io.gpfo.port.StepLog;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.vip.DuplicateProbe;
import io.gpfo.vip.VipControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Promotes this host's standby (docs/design.md §4): gather evidence, judge it
 * ({@link PromotionEvidence}), fence the old coordinator where it can be reached, run
 * {@code gpactivatestandby}, confirm the database left recovery, then take the VIP.
 * Every step reports one line; a failure stops the run and leaves the VIP where it was.
 */
public final class Promoter {

    /** gpactivatestandby waits up to 600 s for the promoted server; allow that and a margin. */
    private static final Duration ACTIVATE_TIMEOUT = Duration.ofMinutes(12);
    private static final Duration LEFT_RECOVERY_WAIT = Duration.ofSeconds(30);

    private final NodeAccess access;
    private final GpfoConfig config;
    private final CoordinatorSql sql;
    private final VipControl vip;
    private final EvidenceProbes probes;
    private final Fencing fencing;
    private final ExecutorService parallel;
    private final Clock clock;
    private final Optional<Path> wrappers;
    private final StepLog log;
    private final Duration wrapperConnectTimeout;
    private final VipControl.Repeats arpRepeats;

    /**
     * @param wrappers directory whose {@code ssh} bounds gpactivatestandby's check of the old
     *                 coordinator with a connect timeout (shipped in the distribution's libexec)
     */
    public Promoter(NodeAccess access, CoordinatorSql sql, VipControl vip, Clock clock, Optional<Path> wrappers, StepLog log) {
        this(access, sql, vip, clock, wrappers, access.config().ssh().connectTimeout(), VipControl.Repeats.WAIT, log);
    }

    /**
     * @param wrapperConnectTimeout how long gpactivatestandby's ssh may try to reach the old
     *                              coordinator; the agent, which already knows it is gone, uses less
     * @param arpRepeats            the agent sends the VIP's gratuitous ARPs in the background: its round, and what
     *                              it reports (the HTTP endpoint's /primary), need not wait arping's seconds
     */
    public Promoter(NodeAccess access, CoordinatorSql sql, VipControl vip, Clock clock, Optional<Path> wrappers,
            Duration wrapperConnectTimeout, VipControl.Repeats arpRepeats, StepLog log) {
        this.wrapperConnectTimeout = wrapperConnectTimeout;
        this.arpRepeats = arpRepeats;
        this.access = access;
        this.config = access.config();
        this.sql = sql;
        this.vip = vip;
        this.parallel = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "gpfo-promote");
            thread.setDaemon(true);
            return thread;
        });
        this.probes = new EvidenceProbes(access, sql, vip, parallel);
        this.fencing = new Fencing(access, vip);
        this.clock = clock;
        this.wrappers = wrappers;
        this.log = log;
    }

    private NodeName local() {
        return access.local();
    }

    private NodeName peer() {
        return access.local().peer();
    }

    /** Looks at this host, the old coordinator and the VIP, all at once: the same probes as the agent's. */
    public PromotionEvidence gather() {
        GpfoConfig.Node localNode = local().of(config);
        GpfoConfig.Node peerNode = peer().of(config);
        Duration timeout = config.ssh().connectTimeout();
        var localStatus = CompletableFuture.supplyAsync(() -> probes.sql(localNode, timeout), parallel);
        var peerStatus = CompletableFuture.supplyAsync(() -> probes.sql(peerNode, timeout), parallel);
        var peerPostmaster = CompletableFuture.supplyAsync(() -> probes.postmaster(peer()), parallel);
        var probe = CompletableFuture.supplyAsync(probes::vipProbe, parallel);
        EvidenceProbes.SqlAnswer local = localStatus.join();
        EvidenceProbes.PostmasterView postmaster = peerPostmaster.join();
        OptionalLong lag = local.status().flatMap(DatabaseStatus::receiver)
                .map(receiver -> receiver.replayLagBytes()).orElse(OptionalLong.empty());
        return new PromotionEvidence(peerNode.host(), local.status(), local.error(), peerStatus.join().status(),
                postmaster.inspection(), postmaster.sshError(), probe.join(), lag);
    }

    /** Checks, fences, promotes, takes the VIP. {@code evidence} comes from {@link #gather()}. */
    public PromotionOutcome promote(PromotionEvidence evidence, boolean force) {
        List<String> facts = evidence.describe();
        facts.forEach(fact -> log.note("evidence: " + fact));
        List<String> refusals = force ? evidence.hardRefusals() : evidence.refusals(config);
        if (!refusals.isEmpty()) {
            refusals.forEach(reason -> log.failed("preflight", reason));
            return PromotionOutcome.refused("refusing to promote: " + String.join("; ", refusals)
                    + (force ? "" : ". Nothing was changed."), facts);
        }
        log.ok("preflight" + (force ? " (forced: only the hard checks)" : ": the coordinator is gone and this host is a standby"));
        return execute(evidence, force);
    }

    /**
     * The promotion itself, once a caller has judged the evidence (the manual command through
     * {@link #promote}, the agent through its decision): fence, activate, confirm, take the VIP.
     */
    public PromotionOutcome execute(PromotionEvidence evidence, boolean force) {
        List<String> facts = evidence.describe();
        String peerHost = access.host(peer());
        boolean fenced = false;
        if (evidence.peerReachable()) {
            fenced = fence();
            if (!fenced && !force) {
                return PromotionOutcome.failed("could not fence the old coordinator " + peerHost
                        + " (see above); not promoting, so that two coordinators never serve. Nothing else was changed.", facts);
            }
        } else {
            log.note("cannot fence " + peerHost + " now: unreachable over SSH (" + evidence.peerSshError() + ")");
        }

        GreenplumRelease release;
        try {
            release = VersionDetector.detect(config.greenplum(), access.admin(), access.runner());
            log.ok("detected " + release + " (data directory variable " + release.dataDirectoryVariable() + ")");
        } catch (RuntimeException e) {
            log.failed("detect the Greenplum version", e.getMessage());
            return PromotionOutcome.failed(e.getMessage(), facts);
        }

        CommandResult activation = activate(release, force, evidence.peerReachable());
        String activationLog = activation.stdout().contains(release.activationSuccessText())
                ? "its log says: " + release.activationSuccessText() : "its log has no success line";
        if (!activation.ok()) {
            String why = activation.timedOut() ? "timed out after " + activation.elapsed().toSeconds() + " s"
                    : GreenplumOutput.lastError(activation);
            log.failed("gpactivatestandby", why);
            return PromotionOutcome.failed("gpactivatestandby failed (" + why + "). The VIP was not moved. Read ~"
                    + config.greenplum().adminUser() + "/gpAdminLogs/gpactivatestandby_*.log on this host, fix the cause and"
                    + " run 'gpfo promote' again." + (fenced ? " The old coordinator " + peerHost + " was fenced: no"
                    + " coordinator serves until this is resolved." : ""), facts);
        }
        log.ok("gpactivatestandby -d " + local().of(config).dataDirectory() + " (" + activation.elapsed().toMillis()
                + " ms; " + activationLog + ")");

        if (!leftRecovery()) {
            log.failed("confirm promotion", "the database still reports pg_is_in_recovery() = true");
            return PromotionOutcome.failed("gpactivatestandby exited 0 but this host's database is still in recovery after "
                    + LEFT_RECOVERY_WAIT.toSeconds() + " s; the VIP was not moved. Check the server log in "
                    + local().of(config).dataDirectory(), facts);
        }
        log.ok("this host's database left recovery: it is the primary now");

        VipClaim.Verdict verdict = VipClaim.judge(new VipClaim.Facts(peerHost, Role.PRIMARY, vip.heldLocally(),
                fenced ? VipClaim.PeerVip.FREE : VipClaim.PeerVip.UNKNOWN, VipClaim.PeerRole.NOT_PRIMARY,
                arpAfterFence(fenced || force, evidence)));
        boolean claim = switch (verdict.kind()) {
            case CLAIM, HELD -> true;
            case REFUSED, UNKNOWN -> false;
        };
        if (!claim) {
            log.failed("VIP up", verdict.reason());
            return new PromotionOutcome(PromotionOutcome.Result.PROMOTED_WITHOUT_VIP, "promoted, but the VIP was not brought"
                    + " up: " + verdict.reason() + ". When that is resolved: 'gpfo vip up' on this host.", facts, fenced);
        }
        try {
            vip.addLocally();
            log.ok("VIP " + config.vip().cidr() + " up on " + config.vip().label());
            announce();
        } catch (RuntimeException e) {
            log.failed("VIP up", e.getMessage());
            return new PromotionOutcome(PromotionOutcome.Result.PROMOTED_WITHOUT_VIP, "promoted, but the VIP could not be"
                    + " brought up: " + e.getMessage() + ". Run 'gpfo vip up --force' on this host.", facts, fenced);
        }

        if (!fenced) {
            log.note("fence pending: " + peerHost + " could not be reached; its VIP and postmaster must be removed before it"
                    + " serves again");
        }
        String next = fenced ? "" : " The old coordinator " + peerHost + " could not be fenced: before it returns, make sure its"
                + " postmaster stays stopped and its VIP is removed (gpfo vip down on it).";
        return new PromotionOutcome(PromotionOutcome.Result.PROMOTED, "this host is the new coordinator; re-add "
                + peerHost + " as the standby with 'gpfo rejoin' when it is repaired, and run ANALYZE when convenient." + next, facts,
                fenced);
    }

    /** Gratuitous ARP for the VIP just brought up, as the caller wants it: waited for, or in the background. */
    private void announce() {
        String address = config.vip().address().toString();
        switch (arpRepeats) {
            case WAIT -> {
                vip.announce();
                log.ok(config.vip().arpCount() + " gratuitous ARP sent for " + address);
            }
            case IN_BACKGROUND -> {
                vip.announceInBackground(why -> log.failed("gratuitous ARP for " + address, why));
                log.ok(config.vip().arpCount() + " gratuitous ARP for " + address + " going out in the background, 1 s apart");
            }
        }
    }

    /**
     * After a fence (or when forced) the ARP probe taken before it is stale: the peer's VIP is gone,
     * or the operator said so. Otherwise the evidence's probe is what showed nobody answers for it.
     */
    private static Optional<DuplicateProbe> arpAfterFence(boolean stale, PromotionEvidence evidence) {
        return stale ? Optional.of(DuplicateProbe.NOBODY) : evidence.vipProbe();
    }

    /** The one fence routine, its result as step lines; false if the old coordinator may still serve. */
    private boolean fence() {
        Fencing.Report report = fencing.fence(peer());
        String host = report.host();
        report.vipFailure().ifPresentOrElse(why -> log.failed("fence: remove the VIP from " + host, why),
                () -> log.ok("fence: VIP removed from " + host + " (or it had none)"));
        if (report.postmaster().done()) {
            log.ok("fence: postmaster on " + host + " stopped (" + report.postmaster().describe() + ")");
        } else {
            log.failed("fence: stop the postmaster on " + host, report.postmaster().describe());
        }
        return report.fenced();
    }

    private CommandResult activate(GreenplumRelease release, boolean force, boolean peerReachable) {
        GpfoConfig.Node node = local().of(config);
        Map<String, String> environment = new LinkedHashMap<>(release.toolEnvironment(node.port(), node.dataDirectory()));
        wrappers.filter(Files::isDirectory).ifPresentOrElse(directory -> {
            environment.put("GPFO_WRAPPERS", directory.toString());
            environment.put("GPFO_SSH_CONNECT_TIMEOUT", Long.toString(Math.max(1, wrapperConnectTimeout.toSeconds())));
            if (!peerReachable) {
                // our own SSH to it just failed: the wrapper answers gpactivatestandby's ssh at once
                environment.put("GPFO_SSH_UNREACHABLE", String.join(" ", peer().of(config).heartbeatAddresses()));
            }
        }, () -> log.note("no ssh wrapper directory: gpactivatestandby's ssh check of the old coordinator is not time-bounded"));
        List<String> tool = new ArrayList<>(List.of("gpactivatestandby", "-d", node.dataDirectory().toString(), "-a", "-q"));
        if (force) {
            tool.add("-f");
        }
        return access.runner().run(access.admin().asAdmin(tool, environment, ACTIVATE_TIMEOUT));
    }

    private boolean leftRecovery() {
        GpfoConfig.Node node = local().of(config);
        Instant deadline = clock.now().plus(LEFT_RECOVERY_WAIT);
        while (true) {
            try {
                if (!sql.status(node.host(), node.port(), config.ssh().connectTimeout()).inRecovery()) {
                    return true;
                }
            } catch (CoordinatorSql.SqlUnavailable e) {
                // restarting after activation: try again
            }
            if (clock.now().isAfter(deadline)) {
                return false;
            }
            try {
                clock.sleep(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
