package io.gpfo.status;

import io.gpfo.config.GpfoConfig;
import io.gpfo.node.Inspection;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.node.Postmasters;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.SshException;
import io.gpfo.node.Role;
import io.gpfo.vip.VipControl;
import io.gpfo.vip.VipState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Looks at both coordinator hosts at once: SQL for the role and replication, the VIP (local
 * listing or over SSH), and, only where SQL fails, the postmaster over SSH to tell a stopped
 * database from a hung or unreachable one. Both hosts are surveyed in parallel, so a dead
 * host costs one timeout, not two.
 */
public final class ClusterSurvey {

    private final GpfoConfig config;
    private final NodeAccess access;
    private final CoordinatorSql sql;
    private final VipControl vip;
    private final Postmasters postmasters;
    private final Duration sqlTimeout;

    public ClusterSurvey(NodeAccess access, CoordinatorSql sql, VipControl vip, Duration sqlTimeout) {
        this.config = access.config();
        this.access = access;
        this.sql = sql;
        this.vip = vip;
        this.postmasters = new Postmasters(access);
        this.sqlTimeout = sqlTimeout;
    }

    public ClusterStatus survey() {
        // each node's SQL, and the peer's SSH, at once: the SSH handshake is the longest of them
        ExecutorService pool = Executors.newFixedThreadPool(3, task -> {
            Thread thread = new Thread(task, "gpfo-survey");
            thread.setDaemon(true);
            return thread;
        });
        try {
            NodeName peer = access.local().peer();
            CompletableFuture<Optional<Boolean>> peerVip = CompletableFuture.supplyAsync(() -> vip.heldBy(peer.of(config).host()), pool);
            CompletableFuture<NodeStatus> coordinator = CompletableFuture.supplyAsync(() -> node(NodeName.COORDINATOR, peerVip), pool);
            CompletableFuture<NodeStatus> standby = CompletableFuture.supplyAsync(() -> node(NodeName.STANDBY, peerVip), pool);
            List<NodeStatus> nodes = List.of(coordinator.join(), standby.join());
            return assemble(config, access.local(), nodes);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Puts node observations together into the cluster's VIP state, replication and health. */
    public static ClusterStatus assemble(GpfoConfig config, NodeName local, List<NodeStatus> nodes) {
        List<String> holders = nodes.stream().filter(node -> node.holdsVip().orElse(false)).map(NodeStatus::host).toList();
        List<NodeStatus> primaries = nodes.stream().filter(node -> node.role() == Role.PRIMARY).toList();
        String actingPrimary = primaries.size() == 1 ? primaries.get(0).host() : null;
        VipState vipState = VipState.of(holders, actingPrimary);
        ClusterStatus.Replication replication = replication(primaries);
        return new ClusterStatus(config.cluster().name(), local, nodes, config.vip().address().toString(), holders, vipState,
                replication, ClusterStatus.judge(nodes, vipState, replication));
    }

    private static ClusterStatus.Replication replication(List<NodeStatus> primaries) {
        if (primaries.size() != 1) {
            return new ClusterStatus.Replication("unknown", OptionalLong.empty());
        }
        List<DatabaseStatus.Sender> senders = primaries.get(0).database().map(DatabaseStatus::senders).orElse(List.of());
        if (senders.isEmpty()) {
            return new ClusterStatus.Replication("disconnected", OptionalLong.empty());
        }
        DatabaseStatus.Sender sender = senders.stream().filter(DatabaseStatus.Sender::streaming).findFirst().orElse(senders.get(0));
        return new ClusterStatus.Replication(sender.state(),
                sender.lagBytes() < 0 ? OptionalLong.empty() : OptionalLong.of(sender.lagBytes()));
    }

    /** @param peerVip whether the peer holds the VIP, asked over SSH (empty: SSH failed) */
    private NodeStatus node(NodeName name, CompletableFuture<Optional<Boolean>> peerVip) {
        GpfoConfig.Node section = name.of(config);
        String host = section.host();
        boolean local = name == access.local();
        List<String> notes = new ArrayList<>();

        Optional<DatabaseStatus> database = Optional.empty();
        try {
            database = Optional.of(sql.status(host, section.port(), sqlTimeout));
        } catch (CoordinatorSql.SqlUnavailable e) {
            notes.add(e.getMessage());
        }

        Optional<Boolean> holdsVip;
        boolean sshReachable = local;
        if (local) {
            holdsVip = Optional.of(vip.heldLocally());
        } else {
            holdsVip = peerVip.join();
            sshReachable = holdsVip.isPresent();
            if (holdsVip.isEmpty()) {
                notes.add("ssh to " + host + " failed");
            }
        }

        Role role;
        if (database.isPresent()) {
            role = database.get().inRecovery() ? Role.STANDBY : Role.PRIMARY;
        } else if (!sshReachable) {
            role = Role.UNKNOWN;
        } else {
            role = roleWithoutSql(name, notes);
        }
        return new NodeStatus(name, host, database.isPresent() || sshReachable, role, holdsVip, database, String.join("; ", notes));
    }

    /** SQL failed on a host we can reach: is its postmaster down, or running and not answering? */
    private Role roleWithoutSql(NodeName name, List<String> notes) {
        try {
            Inspection inspection = postmasters.inspect(name);
            notes.add(inspection.describe());
            return inspection.running() ? Role.UNKNOWN : Role.DOWN;
        } catch (SshException | RuntimeException e) {
            notes.add(e.getMessage());
            return Role.UNKNOWN;
        }
    }
}
