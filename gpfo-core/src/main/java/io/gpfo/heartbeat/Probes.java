package io.gpfo.heartbeat;

import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Decision;
import io.gpfo.decision.Observation;
import io.gpfo.node.Inspection;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.node.Postmasters;
import io.gpfo.node.Role;
import io.gpfo.port.Clock;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.Scripts;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.ssh.SshException;
import io.gpfo.state.Journal;
import io.gpfo.state.PauseFile;
import io.gpfo.vip.DuplicateProbe;
import io.gpfo.vip.VipControl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * One round of heartbeat probes (design.md §3), all at once, each bounded by
 * {@code heartbeat.timeout}, so a dead host costs one timeout per round, not one per probe:
 * this host's database and VIP; the peer's SQL, ICMP and TCP to its SSH and database ports on
 * every address; and, when the decision wants them, the deep probes (the peer's postmaster
 * over SSH, the gateway, the witnesses, an ARP probe of the VIP).
 */
public final class Probes implements AutoCloseable {

    /** The peer's VIP is asked over SSH every this many rounds (every round while it matters). */
    private static final int PEER_VIP_EVERY = 10;

    private static final String WITNESS_SCRIPT = Scripts.load(Probes.class, "witness.sh");

    private final GpfoConfig config;
    private final NodeAccess access;
    private final CoordinatorSql sql;
    private final VipControl vip;
    private final Postmasters postmasters;
    private final Decision decision;
    private final Clock clock;
    private final Duration timeout;
    private final ExecutorService pool;
    private final IcmpMonitor icmp;
    private long round;
    /** Deep probes started in an earlier round of the same suspicion, and that round's number. */
    private CompletableFuture<Optional<Observation.Deep>> deepInFlight;
    private long deepInFlightRound;

    public Probes(NodeAccess access, CoordinatorSql sql, VipControl vip, Decision decision, Clock clock) {
        this.config = access.config();
        this.access = access;
        this.sql = sql;
        this.vip = vip;
        this.postmasters = new Postmasters(access);
        this.decision = decision;
        this.clock = clock;
        this.timeout = config.heartbeat().timeout();
        this.icmp = new IcmpMonitor(config.heartbeat().interval(), timeout);
        this.pool = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "gpfo-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    public Observation gather(Journal journal) {
        round++;
        NodeName local = access.local();
        GpfoConfig.Node localNode = local.of(config);
        GpfoConfig.Node peerNode = local.peer().of(config);
        // every probe gets a deadline: whatever has not answered by then counts as failed, so one
        // stuck connection (a TCP session cut mid-way waits for its socket timeout) never stalls a round
        Duration cheapDeadline = timeout.plusMillis(500);
        var localDatabase = bounded(() -> localDatabase(localNode), cheapDeadline,
                new Observation.Local(Role.UNKNOWN, Optional.empty(), "no answer within " + cheapDeadline.toMillis() + " ms"));
        var localVip = bounded(vip::heldLocally, cheapDeadline, false);
        var peerStatus = bounded(() -> status(peerNode), cheapDeadline, Optional.<DatabaseStatus>empty());
        List<CompletableFuture<String>> paths = new ArrayList<>();
        for (String address : peerNode.heartbeatAddresses()) {
            String icmpPath = "icmp " + address;
            String sshPath = "tcp " + address + ":" + config.ssh().port();
            String dbPath = "tcp " + address + ":" + peerNode.port();
            paths.add(bounded(() -> path(icmpPath, icmpAnswers(address)), cheapDeadline, path(icmpPath, false)));
            paths.add(bounded(() -> path(sshPath, tcp(address, config.ssh().port())), cheapDeadline, path(sshPath, false)));
            paths.add(bounded(() -> path(dbPath, tcp(address, peerNode.port())), cheapDeadline, path(dbPath, false)));
        }
        // while the peer is suspect, the deep probes run in the background across rounds, so that the
        // round that reaches the threshold finds them done instead of waiting a second more for them
        boolean suspect = journal.consecutiveFailures() > 0 && !journal.phase().promotionSpent();
        if (!suspect) {
            deepInFlight = null;
        } else if (deepInFlight == null || deepInFlight.isDone() && deepInFlightRound < round - 1) {
            deepInFlight = bounded(() -> Optional.of(deep(peerNode)), deepDeadline(), Optional.<Observation.Deep>empty());
            deepInFlightRound = round;
        }
        Observation.Local localView = localDatabase.join();
        boolean holdsVip = localVip.join();
        boolean peerVipWanted = !suspect && (round % PEER_VIP_EVERY == 1 || localView.role() == Role.PRIMARY && !holdsVip
                || journal.fencePendingHost() != null);
        var peerVip = peerVipWanted ? bounded(() -> vip.heldBy(peerNode.host()), cheapDeadline, Optional.<Boolean>empty())
                : CompletableFuture.completedFuture(Optional.<Boolean>empty());
        List<String> pathResults = paths.stream().map(CompletableFuture::join).toList();
        int answered = (int) pathResults.stream().filter(result -> result.endsWith(": ok")).count();
        Observation cheap = new Observation(clock.now(), localView, new Observation.Peer(peerStatus.join(), pathResults, answered),
                Optional.empty(), holdsVip, Optional.empty(), PauseFile.read(config.state().directory()));
        Optional<Observation.Deep> deepView = Optional.empty();
        if (decision.wantsDeepEvidence(cheap, journal)) {
            if (deepInFlight == null) {
                deepInFlight = bounded(() -> Optional.of(deep(peerNode)), deepDeadline(), Optional.<Observation.Deep>empty());
                deepInFlightRound = round;
            }
            deepView = deepInFlight.join();
        }
        return new Observation(cheap.at(), localView, cheap.peer(), deepView, holdsVip, peerVip.join(), cheap.pausedUntil());
    }

    /** The deep probes may take a round: SSH to a live host, the witnesses' own probes. */
    private Duration deepDeadline() {
        Duration interval = config.heartbeat().interval();
        return (interval.compareTo(timeout) > 0 ? interval : timeout).plusMillis(1500);
    }

    private <T> CompletableFuture<T> bounded(Supplier<T> probe, Duration deadline, T whenLate) {
        return async(probe).completeOnTimeout(whenLate, deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static String path(String what, boolean ok) {
        return what + ": " + (ok ? "ok" : "failed");
    }

    private Observation.Local localDatabase(GpfoConfig.Node node) {
        try {
            DatabaseStatus status = sql.status(node.host(), node.port(), timeout);
            return new Observation.Local(status.inRecovery() ? Role.STANDBY : Role.PRIMARY, Optional.of(status), "");
        } catch (CoordinatorSql.SqlUnavailable e) {
            try {
                Inspection inspection = postmasters.inspect(access.local());
                return new Observation.Local(inspection.running() ? Role.UNKNOWN : Role.DOWN, Optional.empty(),
                        inspection.describe() + "; " + e.getMessage());
            } catch (SshException | RuntimeException inspectFailed) {
                return new Observation.Local(Role.UNKNOWN, Optional.empty(), e.getMessage() + "; " + inspectFailed.getMessage());
            }
        }
    }

    private Optional<DatabaseStatus> status(GpfoConfig.Node node) {
        try {
            return Optional.of(sql.status(node.host(), node.port(), timeout));
        } catch (CoordinatorSql.SqlUnavailable e) {
            return Optional.empty();
        }
    }

    private Observation.Deep deep(GpfoConfig.Node peerNode) {
        // each deep probe has its own deadline: an SSH session stuck on a connection that died with
        // the host must read as "SSH failed", not hold back the gateway and witness answers
        Duration deadline = deepDeadline().minusMillis(500);
        var inspection = bounded(() -> {
            try {
                return new PeerInspection(Optional.of(postmasters.inspect(access.local().peer())), "");
            } catch (SshException | RuntimeException e) {
                return new PeerInspection(Optional.empty(), String.valueOf(e.getMessage()));
            }
        }, deadline, new PeerInspection(Optional.empty(), "no answer over SSH within " + deadline.toMillis() + " ms"));
        var gateway = bounded(() -> ping(config.vip().gateway().toString()), deadline, false);
        int configured = config.witnesses().hosts().size();
        var witnesses = bounded(() -> witnesses(peerNode), deadline, new Observation.Witnesses(configured, 0, 0, 0,
                List.of("no witness answered within " + deadline.toMillis() + " ms")));
        var probe = bounded(this::vipProbe, deadline, Optional.<DuplicateProbe>empty());
        PeerInspection seen = inspection.join();
        return new Observation.Deep(seen.inspection(), seen.error(), gateway.join(), witnesses.join(), probe.join());
    }

    /** The peer's postmaster over SSH, or why SSH failed. */
    private record PeerInspection(Optional<Inspection> inspection, String error) {
    }

    /** Does anyone answer ARP for the VIP? Only worth asking while this host does not hold it. */
    private Optional<DuplicateProbe> vipProbe() {
        try {
            return vip.heldLocally() ? Optional.empty() : Optional.of(vip.duplicateCheck());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Observation.Witnesses witnesses(GpfoConfig.Node peerNode) {
        List<String> hosts = config.witnesses().hosts();
        if (hosts.isEmpty()) {
            return Observation.Witnesses.NONE;
        }
        RemoteShell remote = access.remote();
        List<CompletableFuture<String>> answers = hosts.stream().map(witness -> async(() -> {
            try {
                CommandResult result = remote.run(witness, List.of("bash", "-c", WITNESS_SCRIPT, "witness", peerNode.host(),
                        Integer.toString(peerNode.port()), seconds()), timeout.plusSeconds(3));
                return result.ok() ? witness + ": " + result.stdout().strip() : witness + ": no answer";
            } catch (SshException e) {
                return witness + ": no answer";
            }
        })).toList();
        List<String> detail = answers.stream().map(CompletableFuture::join).toList();
        int answered = (int) detail.stream().filter(line -> line.contains("db=")).count();
        int hostUnreachable = (int) detail.stream().filter(line -> line.contains("db=no icmp=no")).count();
        int databaseUnreachable = (int) detail.stream().filter(line -> line.contains("db=no")).count();
        return new Observation.Witnesses(hosts.size(), answered, hostUnreachable, databaseUnreachable, detail);
    }

    private boolean icmpAnswers(String address) {
        try {
            return icmp.answers(address);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One ping, for the rare probes (the gateway, while suspect); the peer's paths use {@link IcmpMonitor}. */
    private boolean ping(String address) {
        CommandResult result = access.runner().run(new CommandRunner.Command(
                List.of("ping", "-n", "-q", "-c", "1", "-W", seconds(), address), Map.of(), null, timeout.plusSeconds(1)));
        return result.ok();
    }

    /** ping and timeout take whole seconds: the heartbeat timeout rounded up. */
    private String seconds() {
        return Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
    }

    private boolean tcp(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private <T> CompletableFuture<T> async(Supplier<T> probe) {
        return CompletableFuture.supplyAsync(probe, pool);
    }

    @Override
    public void close() {
        icmp.close();
        pool.shutdownNow();
    }
}
