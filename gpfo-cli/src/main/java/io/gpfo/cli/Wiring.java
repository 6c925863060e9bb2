package io.gpfo.cli;

import io.gpfo.config.GpfoConfig;
import io.gpfo.greenplum.AdminCommands;
import io.gpfo.install.InstallPorts;
import io.gpfo.node.LocalIdentity;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.port.StepLog;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.vip.InterfaceAddress;
import io.gpfo.vip.VipCommands;
import io.gpfo.vip.VipControl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Connects the core's pieces for one command run on one host of one cluster. */
final class Wiring {

    final GpfoConfig config;
    final NodeAccess access;
    final CoordinatorSql sql;
    final VipControl vip;
    final Services services;

    private Wiring(GpfoConfig config, NodeAccess access, CoordinatorSql sql, VipControl vip, Services services) {
        this.config = config;
        this.access = access;
        this.sql = sql;
        this.vip = vip;
        this.services = services;
    }

    static Wiring of(GpfoConfig config, Services services) {
        NodeName local = localNode(config, services);
        RemoteShell remote = services.remoteShells().apply(config);
        return wire(config, new NodeAccess(config, local, services.runner(), remote, admin(config, services)), remote, services);
    }

    /**
     * For the read-only commands (status, history): on a coordinator host as {@link #of}, anywhere
     * else (a segment host, a workstation) as an observer that reaches both coordinator hosts over SSH.
     */
    static Wiring observing(GpfoConfig config, Services services) {
        List<InterfaceAddress> addresses = addresses(services);
        Optional<NodeName> local = LocalIdentity.find(config, addresses, services.resolver());
        RemoteShell remote = services.remoteShells().apply(config);
        AdminCommands admin = admin(config, services);
        NodeAccess access = local.map(node -> new NodeAccess(config, node, services.runner(), remote, admin))
                .orElseGet(() -> NodeAccess.observer(config, services.runner(), remote, admin));
        return wire(config, access, remote, services);
    }

    private static AdminCommands admin(GpfoConfig config, Services services) {
        return new AdminCommands(config.greenplum(), services.root(), services.currentUser());
    }

    private static Wiring wire(GpfoConfig config, NodeAccess access, RemoteShell remote, Services services) {
        VipCommands commands = new VipCommands(config.vip(), tool(services, "ip"), tool(services, "arping"));
        return new Wiring(config, access, services.sql().apply(config), new VipControl(commands, services.runner(), remote,
                services.addresses()),
                services);
    }

    /** Which configured host this is, from its interface addresses; a usage error when neither. */
    static NodeName localNode(GpfoConfig config, Services services) {
        List<InterfaceAddress> addresses = addresses(services);
        return LocalIdentity.find(config, addresses, services.resolver())
                .orElseThrow(() -> new GpfoException(ExitCode.USAGE, LocalIdentity.notFoundMessage(config, addresses)));
    }

    private static List<InterfaceAddress> addresses(Services services) {
        try {
            return services.addresses().list();
        } catch (IllegalStateException e) {
            throw new GpfoException(ExitCode.FAILED, e.getMessage());
        }
    }

    NodeName local() {
        return access.local();
    }

    /** Which host this runs on, for reports: a coordinator host's configured name, else this machine's hostname. */
    String observedFrom() {
        return access.localNode().map(access::host).orElseGet(() -> {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                // an unresolvable own name still has a kernel name; 'status' must not fail for it
                return services.environment().getOrDefault("HOSTNAME", "this host");
            }
        });
    }

    NodeName peer() {
        return access.local().peer();
    }

    /** SQL probes wait at most the heartbeat timeout, but never less than pgjdbc's one second. */
    Duration sqlTimeout() {
        Duration timeout = config.heartbeat().timeout();
        return timeout.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : timeout;
    }

    /** What install and uninstall reach both hosts through; their lines go to {@code log}. */
    InstallPorts installPorts(StepLog log) {
        return new InstallPorts(access, sql, sqlTimeout(), vip, log, services.distributionTree());
    }

    /** The distribution's ssh wrapper directory, which bounds gpactivatestandby's ssh. */
    Optional<Path> wrappers() {
        return services.gpfoHome().map(home -> home.resolve("libexec/wrappers"));
    }

    private static String tool(Services services, String name) {
        return services.executables().find(name).map(Path::toString).orElse(name);
    }
}
