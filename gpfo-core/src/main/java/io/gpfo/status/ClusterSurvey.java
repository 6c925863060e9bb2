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
import java.util.EnumMap;
import java.util.Map;
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

    /** @param observedFrom the host this runs on, named in the report (a coordinator host's configured name, else the hostname) */
    public ClusterStatus survey(String observedFrom) {
        // each node's SQL, and SSH to every host that is not this one, at once: the SSH handshake is the longest of them
        ExecutorService pool = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "gpfo-survey");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<NodeName, CompletableFuture<VipControl.Holding>> holdings = new EnumMap<>(NodeName.class);
            for (NodeName name : NodeName.values()) {
                if (!access.isLocal(name)) {
                    holdings.put(name, CompletableFuture.supplyAsync(() -> vip.askHolder(name.of(config).host()), pool));
                }
            }
            CompletableFuture<NodeStatus> coordinator = CompletableFuture.supplyAsync(() -> node(NodeName.COORDINATOR,
                    holdings.get(NodeName.COORDINATOR)), pool);
            CompletableFuture<NodeStatus> standby = CompletableFuture.supplyAsync(() -> node(NodeName.STANDBY,
                    holdings.get(NodeName.STANDBY)), pool);
            List<NodeStatus> nodes = List.of(coordinator.join(), standby.join());
            return assemble(config, access.localNode(), observedFrom, nodes);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Puts node observations made on a coordinator host together into the cluster's VIP state, replication and health. */
    public static ClusterStatus assemble(GpfoConfig config, NodeName local, List<NodeStatus> nodes) {
        return assemble(config, Optional.of(local), local.of(config).host(), nodes);
    }

    /** The same, observed on {@code local} or, when empty, from {@code observedFrom}. */
    public static ClusterStatus assemble(GpfoConfig config, Optional<NodeName> local, String observedFrom, List<NodeStatus> nodes) {
        List<String> holders = nodes.stream().filter(node -> node.holdsVip().orElse(false)).map(NodeStatus::host).toList();
        int unasked = (int) nodes.stream().filter(node -> node.holdsVip().isEmpty()).count();
        List<NodeStatus> primaries = nodes.stream().filter(node -> node.role() == Role.PRIMARY).toList();
        String actingPrimary = primaries.size() == 1 ? primaries.get(0).host() : null;
        VipState vipState = VipState.of(holders, unasked, actingPrimary);
        ClusterStatus.Replication replication = replication(primaries);
        return new ClusterStatus(config.cluster().name(), local, observedFrom, nodes, config.vip().address().toString(), holders,
                vipState, replication, ClusterStatus.judge(nodes, vipState, replication));
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

    /** @param holding whether the host holds the VIP, asked over SSH (null: this host, listed locally) */
    private NodeStatus node(NodeName name, CompletableFuture<VipControl.Holding> holding) {
        GpfoConfig.Node section = name.of(config);
        String host = section.host();
        List<String> notes = new ArrayList<>();

        Optional<DatabaseStatus> database = Optional.empty();
        try {
            database = Optional.of(sql.status(host, section.port(), sqlTimeout));
        } catch (CoordinatorSql.SqlUnavailable e) {
            notes.add(e.getMessage());
        }

        Optional<Boolean> holdsVip;
        if (holding == null) {
            holdsVip = Optional.of(vip.heldLocally());
        } else {
            VipControl.Holding asked = holding.join();
            holdsVip = asked.holds();
            // a host key refused says so with its fix; never only "ssh failed"
            asked.failure().ifPresent(failure -> notes.add("VIP unknown: " + failure.message()));
        }
        boolean sshReachable = holdsVip.isPresent();

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
