package io.gpfo.heartbeat;

import io.gpfo.arbiter.ArbiterSession;
import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Decision;
import io.gpfo.decision.Observation;
import io.gpfo.decision.Observation.HeartbeatPath;
import io.gpfo.decision.Observation.PathResult;
import io.gpfo.evidence.EvidenceProbes;
import io.gpfo.evidence.EvidenceProbes.PostmasterView;
import io.gpfo.node.Inspection;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.node.Role;
import io.gpfo.port.Clock;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.SshFailure;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One round of heartbeat probes (docs/design.md §3), all at once, each bounded by
 * {@code heartbeat.timeout}, so a dead host costs one timeout per round, not one per probe:
 * this host's database and VIP; the peer's SQL, ICMP and TCP to its SSH and database ports on
 * every address; and, when the decision wants them, the deep probes (the peer's postmaster
 * over SSH, the gateway, the witnesses, an ARP probe of the VIP). Which probes a round needs is
 * the decision's to say; this class only schedules them.
 */
public final class Probes implements AutoCloseable {

    /** The peer's VIP is asked over SSH every this many rounds (every round while it matters). */
    public static final int PEER_VIP_EVERY = 10;

    private final GpfoConfig config;
    private final NodeAccess access;
    private final VipControl vip;
    private final EvidenceProbes evidence;
    private final Decision decision;
    private final Clock clock;
    private final Duration timeout;
    private final ExecutorService pool;
    private final HeartbeatPaths paths;
    private final Optional<ArbiterSession> arbiter;
    private long round;
    /** Deep probes started in an earlier round of the same suspicion, and that round's number. */
    private CompletableFuture<Optional<Observation.Deep>> deepInFlight;
    private long deepInFlightRound;
    /** The peer's host key was refused when its VIP was last asked. */
    private boolean peerHostKeyRefused;

    /** How one round's heartbeat paths are asked: ICMP from the long-running monitor, TCP by connecting. */
    public interface HeartbeatPaths extends AutoCloseable {
        boolean answers(HeartbeatPath path) throws InterruptedException;

        @Override
        void close();

        /** The real paths: ICMP from a long-running ping per address, TCP by connecting within the timeout. */
        static HeartbeatPaths live(GpfoConfig.Heartbeat heartbeat) {
            return new LivePaths(new IcmpMonitor(heartbeat.interval(), heartbeat.timeout()), heartbeat.timeout());
        }
    }

    public Probes(NodeAccess access, CoordinatorSql sql, VipControl vip, Decision decision, Clock clock) {
        this(access, sql, vip, decision, clock, HeartbeatPaths.live(access.config().heartbeat()));
    }

    public Probes(NodeAccess access, CoordinatorSql sql, VipControl vip, Decision decision, Clock clock, HeartbeatPaths paths) {
        this(access, sql, vip, decision, clock, paths, Optional.empty());
    }

    /** @param arbiter the etcd leader lease, when gpfo.yaml has an arbiter: read (and renewed) every round */
    public Probes(NodeAccess access, CoordinatorSql sql, VipControl vip, Decision decision, Clock clock, HeartbeatPaths paths,
            Optional<ArbiterSession> arbiter) {
        this.arbiter = arbiter;
        this.config = access.config();
        this.access = access;
        this.vip = vip;
        this.decision = decision;
        this.clock = clock;
        this.timeout = config.heartbeat().timeout();
        this.paths = paths;
        this.pool = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "gpfo-probe");
            thread.setDaemon(true);
            return thread;
        });
        this.evidence = new EvidenceProbes(access, sql, vip, pool);
    }

    public Observation gather(Journal journal) {
        round++;
        NodeName local = access.local();
        GpfoConfig.Node localNode = local.of(config);
        GpfoConfig.Node peerNode = local.peer().of(config);
        // every probe gets a deadline: whatever has not answered by then counts as failed, so one
        // stuck connection (a TCP session cut mid-way waits for its socket timeout) never stalls a round
        Duration cheapDeadline = cheapDeadline();
        var localDatabase = askLocalDatabase(localNode, cheapDeadline);
        var localVip = askLocalVip(cheapDeadline);
        var peerStatus = bounded(() -> evidence.sql(peerNode, timeout).status(), cheapDeadline, Optional.<DatabaseStatus>empty());
        List<CompletableFuture<PathResult>> pathResults = new ArrayList<>();
        for (String address : peerNode.heartbeatAddresses()) {
            for (HeartbeatPath path : List.of(HeartbeatPath.icmp(address), HeartbeatPath.tcp(address, config.ssh().port()),
                    HeartbeatPath.tcp(address, peerNode.port()))) {
                pathResults.add(bounded(() -> new PathResult(path, answers(path)), cheapDeadline, new PathResult(path, false)));
            }
        }
        // while the peer is suspect, the deep probes run in the background across rounds, so that the
        // round that reaches the threshold finds them done instead of waiting a second more for them
        boolean suspect = decision.suspect(journal);
        if (!suspect) {
            deepInFlight = null;
        } else if (deepInFlight == null || deepInFlight.isDone() && deepInFlightRound < round - 1) {
            startDeep(peerNode);
        }
        // A host holding the lease renews it at the round's start: its fence margin counts rounds from there. A host
        // holding none has nothing to renew and reads the key once the peer's answers are in, so its decision sees the
        // key as it is then: rounds last 1.5-2 s while the coordinator does not answer, and a lease that expired
        // meanwhile counts this round, not the next.
        var arbiterFirst = arbiter.filter(ArbiterSession::holdsLease)
                .map(session -> observeArbiter(session, localDatabase, journal, cheapDeadline));
        Observation.Local localView = localDatabase.join();
        boolean holdsVip = localVip.join();
        boolean vipMatters = localView.role() == Role.PRIMARY && !holdsVip;
        // a host key refused last time is asked again every round: its alert lasts exactly as long as the refusal
        boolean peerVipWanted = !suspect && (round % PEER_VIP_EVERY == 1 || vipMatters || peerHostKeyRefused
                || journal.promotions().fencePendingHost().isPresent());
        var peerVip = peerVipWanted ? bounded(() -> vip.askHolder(peerNode.host()), cheapDeadline, VipControl.Holding.unasked(
                SshFailure.noAnswer("no answer over SSH within " + cheapDeadline.toMillis() + " ms")))
                : CompletableFuture.completedFuture(new VipControl.Holding(Optional.<Boolean>empty(), Optional.empty()));
        // a primary without the VIP may claim it: the claim judgement needs to know whether anyone answers ARP for it
        var arp = vipMatters ? bounded(evidence::vipProbe, cheapDeadline.plusSeconds(1), Optional.<DuplicateProbe>empty())
                : CompletableFuture.completedFuture(Optional.<DuplicateProbe>empty());
        Observation.Peer peer = new Observation.Peer(peerStatus.join(), pathResults.stream().map(CompletableFuture::join).toList());
        Observation.Maintenance maintenance = new Observation.Maintenance(PauseFile.read(config.state().directory()),
                PauseFile.resumeRequested(config.state().directory()));
        Observation cheap = new Observation(clock.now(), localView, peer, Optional.empty(),
                Observation.VipView.of(holdsVip, Optional.empty()), maintenance);
        Optional<Observation.Deep> deepView = Optional.empty();
        if (decision.wantsDeepEvidence(cheap, journal)) {
            if (deepInFlight == null) {
                startDeep(peerNode);
            }
            deepView = deepInFlight.join();
        }
        VipControl.Holding peerHolding = peerVip.join();
        if (peerVipWanted) {
            peerHostKeyRefused = peerHolding.failure().map(SshFailure::hostKey).orElse(false);
        }
        Optional<Observation.ArbiterView> arbiterSaw = arbiterFirst
                .or(() -> arbiter.map(session -> observeArbiter(session, localDatabase, journal, cheapDeadline)))
                .map(CompletableFuture::join);
        // the round's time is when its last answer is in: a lease deadline is judged against the real moment of the decision
        return new Observation(clock.now(), localView, peer, deepView, new Observation.VipView(holdsVip, peerHolding.holds(),
                arp.join(), peerHolding.failure()), maintenance, arbiterSaw);
    }

    /**
     * The observation with this host's database and VIP asked again, after the round's actions changed them:
     * a standby just promoted shows as the primary it is now, not as the standby the round saw.
     */
    public Observation localAgain(Observation observation) {
        Duration deadline = cheapDeadline();
        var localDatabase = askLocalDatabase(access.local().of(config), deadline);
        var localVip = askLocalVip(deadline);
        return observation.withLocal(localDatabase.join(), localVip.join());
    }

    /**
     * The arbiter's part of a round. Late is "etcd did not answer", never "no arbiter": a missing view would let the
     * decision act without the lease. The session keeps to the cheap deadline itself (the peer's reach file included),
     * so a lease holder's round without etcd is no longer than others: the fence margin counts on rounds of at most
     * that; the bound here is only a backstop. The lease is renewed only on this round's local answer as a primary:
     * a late one (bounded by the cheap deadline) is no renewal.
     */
    private CompletableFuture<Observation.ArbiterView> observeArbiter(ArbiterSession session,
            CompletableFuture<Observation.Local> localDatabase, Journal journal, Duration cheapDeadline) {
        Duration arbiterDeadline = cheapDeadline.plusMillis(250);
        return bounded(() -> session.observe(() -> ArbiterSession.servesAsPrimary(localDatabase.join(), journal.phase()),
                cheapDeadline), arbiterDeadline, session.unanswered("no answer within " + arbiterDeadline.toMillis() + " ms"));
    }

    private Duration cheapDeadline() {
        return timeout.plusMillis(500);
    }

    private CompletableFuture<Observation.Local> askLocalDatabase(GpfoConfig.Node localNode, Duration deadline) {
        return bounded(() -> localDatabase(localNode), deadline,
                new Observation.Local(Role.UNKNOWN, Optional.empty(), "no answer within " + deadline.toMillis() + " ms"));
    }

    private CompletableFuture<Boolean> askLocalVip(Duration deadline) {
        return bounded(vip::heldLocally, deadline, false);
    }

    private void startDeep(GpfoConfig.Node peerNode) {
        deepInFlight = bounded(() -> Optional.of(deep(peerNode)), deepDeadline(), Optional.<Observation.Deep>empty());
        deepInFlightRound = round;
    }

    /** The deep probes may take a round: SSH to a live host, the witnesses' own probes. */
    private Duration deepDeadline() {
        Duration interval = config.heartbeat().interval();
        return (interval.compareTo(timeout) > 0 ? interval : timeout).plusMillis(1500);
    }

    private <T> CompletableFuture<T> bounded(Supplier<T> probe, Duration deadline, T whenLate) {
        return CompletableFuture.supplyAsync(probe, pool).completeOnTimeout(whenLate, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean answers(HeartbeatPath path) {
        try {
            return paths.answers(path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Observation.Local localDatabase(GpfoConfig.Node node) {
        EvidenceProbes.SqlAnswer answer = evidence.sql(node, timeout);
        if (answer.status().isPresent()) {
            DatabaseStatus status = answer.status().get();
            return new Observation.Local(status.inRecovery() ? Role.STANDBY : Role.PRIMARY, answer.status(), "");
        }
        PostmasterView seen = evidence.postmaster(access.local());
        return seen.inspection().map(inspection -> new Observation.Local(inspection.running() ? Role.UNKNOWN : Role.DOWN,
                Optional.empty(), inspection.describe() + "; " + answer.error()))
                .orElseGet(() -> new Observation.Local(Role.UNKNOWN, Optional.empty(), answer.error() + "; " + seen.sshError()));
    }

    private Observation.Deep deep(GpfoConfig.Node peerNode) {
        // each deep probe has its own deadline: an SSH session stuck on a connection that died with
        // the host must read as "SSH failed", not hold back the gateway and witness answers
        Duration deadline = deepDeadline().minusMillis(500);
        var inspection = bounded(() -> evidence.postmaster(access.local().peer()), deadline,
                PostmasterView.unreachable("no answer over SSH within " + deadline.toMillis() + " ms"));
        var gateway = bounded(() -> evidence.ping(config.vip().gateway().toString(), timeout), deadline, false);
        int configured = config.witnesses().hosts().size();
        var witnesses = bounded(() -> evidence.witnesses(peerNode, timeout), deadline, new Observation.Witnesses(configured,
                config.witnesses().hosts().stream().map(Observation.WitnessVote::silent).toList()));
        var probe = bounded(evidence::vipProbe, deadline, Optional.<DuplicateProbe>empty());
        PostmasterView seen = inspection.join();
        return new Observation.Deep(seen.inspection(), seen.failure(), gateway.join(), witnesses.join(), probe.join());
    }

    @Override
    public void close() {
        paths.close();
        pool.shutdownNow();
    }

    /** The real paths: ICMP from the long-running ping monitor, TCP by connecting within the timeout. */
    static final class LivePaths implements HeartbeatPaths {
        private final IcmpMonitor icmp;
        private final Duration timeout;

        LivePaths(IcmpMonitor icmp, Duration timeout) {
            this.icmp = icmp;
            this.timeout = timeout;
        }

        @Override
        public boolean answers(HeartbeatPath path) throws InterruptedException {
            return switch (path.protocol()) {
                case ICMP -> icmp.answers(path.address());
                case TCP -> tcp(path.address(), path.port());
            };
        }

        private boolean tcp(String address, int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() {
            icmp.close();
        }
    }
}
