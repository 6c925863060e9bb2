package io.gpfo.check;

import io.gpfo.config.GpfoConfig;
import io.gpfo.greenplum.GreenplumRelease;
import io.gpfo.greenplum.VersionDetector;
import io.gpfo.node.NodeAccess;
import io.gpfo.node.NodeName;
import io.gpfo.port.CommandResult;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.ssh.SshException;
import io.gpfo.vip.VipCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The preflight checks that need the peer, the witnesses or the databases: SSH with verified
 * host keys, the tools and the sudo rule on the peer, SQL on both coordinator hosts, and the
 * Greenplum version.
 */
public final class ClusterChecks {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String VERSION = "greenplum version";
    /** Prints each argument that is not an executable file. */
    private static final String MISSING_TOOLS = "for f; do [ -x \"$f\" ] || echo \"$f\"; done";

    private final NodeAccess access;
    private final CoordinatorSql sql;
    private final VipCommands vip;
    private final Duration sqlTimeout;

    public ClusterChecks(NodeAccess access, CoordinatorSql sql, VipCommands vip, Duration sqlTimeout) {
        this.access = access;
        this.sql = sql;
        this.vip = vip;
        this.sqlTimeout = sqlTimeout;
    }

    public List<CheckResult> run() {
        GpfoConfig config = access.config();
        List<CheckResult> results = new ArrayList<>();
        NodeName local = access.local();
        NodeName peer = local.peer();
        results.add(CheckResult.ok("this host", "is " + local.label() + " (" + access.host(local) + ") of cluster "
                + config.cluster().name()));
        results.add(version());
        results.add(database(local));
        results.add(database(peer));
        String peerHost = access.host(peer);
        boolean peerReachable = ssh(sshName(peerHost), peerHost, results);
        if (peerReachable) {
            results.add(peerTools(peerHost));
            results.add(sudoRule(peerHost));
        } else {
            String why = "needs SSH to " + peerHost;
            results.add(CheckResult.skip(toolsName(peerHost), why));
            results.add(CheckResult.skip(sudoName(peerHost), why));
        }
        for (String witness : config.witnesses().hosts()) {
            ssh(witnessName(witness), witness, results);
        }
        return results;
    }

    /**
     * The checks {@link #run} would have made, each as SKIP with {@code why}: for when it cannot run at
     * all (this host is neither coordinator nor standby), so the list still shows what was not checked.
     */
    public static List<CheckResult> notRun(GpfoConfig config, String why) {
        List<CheckResult> results = new ArrayList<>();
        results.add(CheckResult.skip(VERSION, why));
        results.add(CheckResult.skip(sqlName(config.coordinator().host()), why));
        results.add(CheckResult.skip(sqlName(config.standby().host()), why));
        results.add(CheckResult.skip(sshName("peer"), why));
        results.add(CheckResult.skip(toolsName("peer"), why));
        results.add(CheckResult.skip(sudoName("peer"), why));
        config.witnesses().hosts().forEach(witness -> results.add(CheckResult.skip(witnessName(witness), why)));
        return results;
    }

    // the names of the checks, shared by run() and notRun()
    private static String sqlName(String host) {
        return "sql " + host;
    }

    private static String sshName(String host) {
        return "ssh " + host;
    }

    private static String witnessName(String host) {
        return "ssh witness " + host;
    }

    private static String toolsName(String host) {
        return "tools on " + host;
    }

    private static String sudoName(String host) {
        return "sudo rule on " + host;
    }

    private CheckResult version() {
        try {
            GreenplumRelease release = VersionDetector.detect(access.config().greenplum(), access.admin(), access.runner());
            return CheckResult.ok(VERSION, release + " (" + release.dataDirectoryVariable() + ")");
        } catch (RuntimeException e) {
            return CheckResult.fail(VERSION, e.getMessage(), "set greenplum.version: 6 or 7, or fix greenplum.home");
        }
    }

    private CheckResult database(NodeName node) {
        GpfoConfig.Node section = node.of(access.config());
        String name = sqlName(section.host());
        try {
            DatabaseStatus status = sql.status(section.host(), section.port(), sqlTimeout);
            String role = status.inRecovery() ? "standby (in recovery)" : "primary";
            return CheckResult.ok(name, section.host() + ":" + section.port() + " answers as " + role);
        } catch (CoordinatorSql.SqlUnavailable e) {
            String fix = "check that the database runs and that pg_hba.conf lets " + access.config().greenplum().adminUser()
                    + " connect from this host";
            // the peer being down is a state to report, not a setup error; this host's own database must answer
            return node == access.local() ? CheckResult.fail(name, e.getMessage(), fix) : CheckResult.warn(name, e.getMessage(), fix);
        }
    }

    private boolean ssh(String name, String host, List<CheckResult> results) {
        RemoteShell remote = access.remote();
        try {
            CommandResult result = remote.run(host, List.of("true"), TIMEOUT);
            if (result.ok()) {
                results.add(CheckResult.ok(name, access.config().ssh().user() + "@" + host + " works, host key verified"));
                return true;
            }
            results.add(CheckResult.fail(name, "'true' failed on " + host + ": " + result.failureSummary(), "check the account"
                    + " and shell of " + access.config().ssh().user() + " on " + host));
        } catch (SshException e) {
            String fix = switch (e.kind()) {
                case HOST_KEY -> "see the message: verify the key, then add it to " + access.config().ssh().knownHosts();
                case AUTHENTICATION -> "add the public key of " + access.config().ssh().identityFile() + " to " + host
                        + ":~" + access.config().ssh().user() + "/.ssh/authorized_keys";
                case UNREACHABLE -> "check that " + host + " is up and sshd listens on port " + access.config().ssh().port();
            };
            results.add(CheckResult.fail(name, e.getMessage(), fix));
        }
        return false;
    }

    private CheckResult peerTools(String host) {
        List<String> tools = List.of(vip.add().get(0), vip.announce().get(0));
        List<String> argv = new ArrayList<>(List.of("sh", "-c", MISSING_TOOLS, "check"));
        argv.addAll(tools);
        try {
            CommandResult result = access.remote().run(host, argv, TIMEOUT);
            if (result.ok() && result.stdout().isBlank()) {
                return CheckResult.ok(toolsName(host), String.join(", ", tools) + " present");
            }
            return CheckResult.fail(toolsName(host), "missing on " + host + ": " + result.stdout().strip().replace('\n', ' '),
                    "install iproute2 and iputils(-arping) on " + host);
        } catch (SshException e) {
            return CheckResult.fail(toolsName(host), e.getMessage(), "fix SSH first");
        }
    }

    private CheckResult sudoRule(String host) {
        List<String> argv = new ArrayList<>(List.of("sudo", "-n", "-l"));
        argv.addAll(vip.delete());
        try {
            CommandResult result = access.remote().run(host, argv, TIMEOUT);
            if (result.ok()) {
                return CheckResult.ok(sudoName(host), access.config().ssh().user() + " may remove the VIP there");
            }
            return CheckResult.warn(sudoName(host), access.config().ssh().user() + " may not run '"
                    + String.join(" ", vip.delete()) + "' through sudo on " + host + ", so the VIP cannot be fenced there",
                    "gpfo install writes /etc/sudoers.d/gpfo on both hosts");
        } catch (SshException e) {
            return CheckResult.fail(sudoName(host), e.getMessage(), "fix SSH first");
        }
    }
}
