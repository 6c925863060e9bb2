package io.gpfo.install;

import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.greenplum.AdminCommands;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.RemoteSession;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.ssh.SshException;
import io.gpfo.vip.InterfaceAddress;
import io.gpfo.vip.VipCommands;
import io.gpfo.vip.VipControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The two hosts mdw (coordinator) and smdw (standby) as install and uninstall see them through
 * their ports: only read-only commands and the VIP's are answered, anything else fails the test.
 * Each field is what the next call finds; tests change them before the flow runs. Shared with
 * gpfo-cli's install tests, which reach the same hosts through the command line.
 */
public final class FlowFixture {

    public static final String FACTS = """
            systemd=no
            tool.ip=/usr/sbin/ip
            tool.arping=/usr/bin/arping
            tool.ping=/usr/bin/ping
            tool.logger=/usr/bin/logger
            tool.wall=/usr/bin/wall
            tool.visudo=/usr/sbin/visudo
            tool.tar=/usr/bin/tar
            tool.sha256sum=/usr/bin/sha256sum
            tool.install=/usr/bin/install
            tool.setsid=/usr/bin/setsid
            tool.runuser=/usr/sbin/runuser
            tool.update-rc.d=/usr/sbin/update-rc.d
            tool.java=/usr/bin/java
            java.version=openjdk version "17.0.15" 2025-04-15
            user.group=gpadmin
            """;

    public final Path config;
    public final Path home;
    final io.gpfo.testing.RecordingStepLog log = new io.gpfo.testing.RecordingStepLog();
    public final List<String> localCommands = new ArrayList<>();
    public final List<String> remoteCommands = new ArrayList<>();

    NodeName local = NodeName.COORDINATOR;
    public String remoteFacts = FACTS;
    public CommandResult sudo = ok("");
    public SshException sshFailure;
    /** Runs when smdw's facts are gathered, after the configuration was validated and before the plan is built. */
    public Runnable whileGatheringFacts = () -> { };
    /** The standby's answer: in recovery, streaming. */
    public DatabaseStatus standbyDatabase = new DatabaseStatus(true, 150018, OptionalInt.of(1), java.util.List.of(),
            Optional.of(new DatabaseStatus.Receiver(Optional.of("0/3000000"), Optional.of("0/3000000"),
                    java.util.OptionalLong.of(0), Optional.of("streaming"), java.util.OptionalDouble.of(0.2))));
    public DatabaseStatus database = new DatabaseStatus(false, 150018, OptionalInt.of(1),
            List.of(new DatabaseStatus.Sender("smdw", "streaming", "async", 0)), Optional.empty());
    /** The VIP on this host's eth0. */
    boolean vipHere;
    /** Whether smdw holds the VIP; empty: it cannot be asked. */
    Optional<Boolean> vipOnPeer = Optional.of(false);
    /** The distribution's tree as install reads it: root's, mode 0755 throughout; null: it must not be read. */
    public List<DistributionTree.Entry> tree;
    /** The request is made as root (install checks the distribution's tree only then). */
    public boolean root = true;
    /** arping -D's answer: exit 1 and a reply line when another host answers for the VIP. */
    CommandResult duplicateProbe = new CommandResult(0, "Sent 1 probes (1 broadcast(s))\nReceived 0 response(s)\n", "",
            false, Duration.ZERO);
    /** ip addr add's answer. */
    CommandResult vipAdd = ok("");

    public FlowFixture(Path dir) throws IOException {
        config = dir.resolve("gpfo.yaml");
        Files.writeString(config, """
                cluster: {name: lab}
                coordinator: {host: mdw}
                standby: {host: smdw}
                vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                """);
        home = dir.resolve("gpfo-0.1.0");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("bin/gpfo"), "#!/bin/sh\n");
        tree = List.of(entry(home, 0, 0755), entry(home.resolve("bin"), 0, 0755), entry(home.resolve("bin/gpfo"), 0, 0755),
                entry(home.resolve("lib"), 0, 0755));
    }

    public static DistributionTree.Entry entry(Path path, int uid, int mode) {
        return new DistributionTree.Entry(path, uid, mode, false, false);
    }

    /** The fake tree port: {@link #tree} for the distribution, nothing else. */
    public DistributionTree tree() {
        return top -> {
            if (!top.equals(home)) {
                throw new AssertionError("unexpected tree: " + top);
            }
            if (tree == null) {
                throw new AssertionError("the tree was not to be read");
            }
            return tree;
        };
    }

    public static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "", false, Duration.ZERO);
    }

    private final CommandRunner runner = command -> {
        List<String> argv = command.argv();
        localCommands.add(String.join(" ", argv));
        if (argv.size() > 4 && argv.get(0).equals("sh") && argv.get(3).equals("facts")) {
            return ok(FACTS);
        }
        if (argv.get(0).equals("arping") && argv.get(1).equals("-D")) {
            return duplicateProbe;
        }
        if (argv.get(0).equals("arping") && argv.get(1).equals("-U")) {
            return ok("");
        }
        if (argv.subList(0, 3).equals(List.of("ip", "addr", "add"))) {
            vipHere = vipAdd.ok();
            return vipAdd;
        }
        throw new AssertionError("unexpected local command: " + argv);
    };

    private final RemoteShell remote = new RemoteShell() {
        @Override
        public CommandResult run(String host, List<String> argv, Duration timeout) throws SshException {
            remoteCommands.add(host + ": " + String.join(" ", argv));
            if (argv.equals(List.of("sudo", "-n", "true"))) {
                return sudo;
            }
            if (argv.size() > 6 && argv.subList(0, 3).equals(List.of("sudo", "-n", "sh")) && argv.get(5).equals("facts")) {
                whileGatheringFacts.run();
                return ok(remoteFacts);
            }
            if (argv.subList(0, 3).equals(List.of("ip", "-o", "-4"))) {
                if (vipOnPeer.isEmpty()) {
                    throw new SshException(SshException.Kind.UNREACHABLE, host, "no route to " + host, null);
                }
                return ok(vipOnPeer.get() ? "2: eth0    inet 10.77.0.100/24 scope global eth0:0\n" : "");
            }
            throw new AssertionError("unexpected remote command: " + argv);
        }

        @Override
        public RemoteSession open(String host) throws SshException {
            if (sshFailure != null) {
                throw sshFailure;
            }
            return RemoteShell.super.open(host);
        }
    };

    private final CoordinatorSql sql = new CoordinatorSql() {
        @Override
        public boolean answers(String host, int port, Duration timeout) {
            return true;
        }

        @Override
        public DatabaseStatus status(String host, int port, Duration timeout) {
            return host.equals("smdw") ? standbyDatabase : database;
        }

        @Override
        public long databaseBytes(String host, int port, Duration timeout) {
            return 64L << 20;
        }
    };

    public CommandRunner runner() {
        return runner;
    }

    public RemoteShell remote() {
        return remote;
    }

    public CoordinatorSql sql() {
        return sql;
    }

    /** The configuration as validated: read once, like gpfo install does. */
    private ConfigLoader.Loaded loaded;

    private ConfigLoader.Loaded loaded() throws Exception {
        if (loaded == null) {
            loaded = new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false).loadWithText(config);
        }
        return loaded;
    }

    InstallPorts ports() throws Exception {
        GpfoConfig parsed = loaded().config();
        NodeAccess access = new NodeAccess(parsed, local, runner, remote, new AdminCommands(parsed.greenplum(), true, "root"));
        VipControl vip = new VipControl(new VipCommands(parsed.vip(), "ip", "arping"), runner, remote,
                () -> List.of(new InterfaceAddress("eth0", local == NodeName.COORDINATOR ? "10.77.0.11" : "10.77.0.12", 24,
                        "eth0"), vipHere ? new InterfaceAddress("eth0", "10.77.0.100", 24, "eth0:0")
                                : new InterfaceAddress("lo", "127.0.0.1", 8, "lo")));
        return new InstallPorts(access, sql, Duration.ofSeconds(1), vip, log, tree());
    }

    InstallFlow.Request request(Optional<InitSystem> init) throws Exception {
        return new InstallFlow.Request(Optional.of(home), "0.1.0", loaded().text(), init, root);
    }
}
