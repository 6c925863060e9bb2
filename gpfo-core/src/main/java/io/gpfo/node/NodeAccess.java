package io.gpfo.node;

import io.gpfo.config.GpfoConfig;
import io.gpfo.greenplum.AdminCommands;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.ssh.SshException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a command on either coordinator host: on this one through the local runner, on the
 * peer over SSH. Callers name the node, not the transport, so one probe or fence works on both.
 * An observer (a host that is neither coordinator host: a segment host, a workstation) reaches
 * both over SSH; only read-only commands (status, history) are wired as observers.
 */
public final class NodeAccess {

    private final GpfoConfig config;
    private final Optional<NodeName> local;
    private final CommandRunner runner;
    private final RemoteShell remote;
    private final AdminCommands admin;

    public NodeAccess(GpfoConfig config, NodeName local, CommandRunner runner, RemoteShell remote, AdminCommands admin) {
        this(config, Optional.of(local), runner, remote, admin);
    }

    private NodeAccess(GpfoConfig config, Optional<NodeName> local, CommandRunner runner, RemoteShell remote,
            AdminCommands admin) {
        this.config = config;
        this.local = local;
        this.runner = runner;
        this.remote = remote;
        this.admin = admin;
    }

    /** Access from a host that is neither coordinator host: every command goes over SSH. */
    public static NodeAccess observer(GpfoConfig config, CommandRunner runner, RemoteShell remote, AdminCommands admin) {
        return new NodeAccess(config, Optional.empty(), runner, remote, admin);
    }

    /** This coordinator host; an observer has none (its callers ask {@link #localNode()}). */
    public NodeName local() {
        return local.orElseThrow(() -> new IllegalStateException("observing from outside: neither coordinator host is local"));
    }

    /** This coordinator host, or empty for an observer. */
    public Optional<NodeName> localNode() {
        return local;
    }

    public boolean isLocal(NodeName node) {
        return local.filter(node::equals).isPresent();
    }

    public GpfoConfig config() {
        return config;
    }

    public RemoteShell remote() {
        return remote;
    }

    public CommandRunner runner() {
        return runner;
    }

    public AdminCommands admin() {
        return admin;
    }

    public String host(NodeName node) {
        return node.of(config).host();
    }

    /** Runs argv as it is (no environment), e.g. {@code ip -o -4 addr show}. */
    public CommandResult run(NodeName node, List<String> argv, Duration timeout) throws SshException {
        if (isLocal(node)) {
            return runner.run(new Command(argv, Map.of(), null, timeout));
        }
        return remote.run(host(node), argv, timeout);
    }

    /** Runs a Greenplum tool as the admin user with the Greenplum environment sourced. */
    public CommandResult runAsAdmin(NodeName node, List<String> tool, Duration timeout) throws SshException {
        return runAsAdmin(node, tool, Map.of(), timeout);
    }

    /** The same, with more environment (a tool's PGPORT and data directory variable). */
    public CommandResult runAsAdmin(NodeName node, List<String> tool, Map<String, String> environment, Duration timeout)
            throws SshException {
        if (isLocal(node)) {
            return runner.run(admin.asAdmin(tool, environment, timeout));
        }
        // over SSH we already are the admin user (ssh.user); only the environment is missing
        List<String> argv = new ArrayList<>(List.of("bash", "-c", AdminCommands.LAUNCH, "gpfo",
                admin.environmentScript().toString()));
        if (!environment.isEmpty()) {
            argv.add("env");
            environment.forEach((name, value) -> argv.add(name + "=" + value));
        }
        argv.addAll(tool);
        return remote.run(host(node), argv, timeout);
    }
}
