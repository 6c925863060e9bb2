package io.gpfo.check;

import io.gpfo.config.GpfoConfig;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The preflight checks that need nothing but this host: the tools gpfo runs, the Greenplum
 * home, the VIP's interface, the admin user and the state directory. Each says what it found
 * and, when something is wrong, the command that fixes it.
 */
public final class LocalChecks {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** Tools gpfo runs, and the Debian / RHEL package that has each. */
    private static final List<String[]> TOOLS = List.of(
            new String[] {"ip", "iproute2 (RHEL: iproute)"},
            new String[] {"arping", "iputils-arping (RHEL: iputils)"},
            new String[] {"ping", "iputils-ping (RHEL: iputils)"});

    static final List<String> ENVIRONMENT_SCRIPTS = List.of("greenplum_path.sh", "cloudberry-env.sh");

    private final GpfoConfig config;
    private final CommandRunner runner;
    private final Executables executables;

    public LocalChecks(GpfoConfig config, CommandRunner runner, Executables executables) {
        this.config = config;
        this.runner = runner;
        this.executables = executables;
    }

    public List<CheckResult> run() {
        List<CheckResult> results = new ArrayList<>();
        for (String[] tool : TOOLS) {
            results.add(tool(tool[0], tool[1]));
        }
        results.add(greenplumHome());
        results.add(gpactivatestandby());
        results.add(vipInterface());
        results.add(adminUser());
        results.add(stateDirectory());
        results.add(runtime());
        return results;
    }

    /** Which Java runs gpfo: the bundled runtime, or one found through GPFO_JAVA_HOME, JAVA_HOME or PATH. */
    private static CheckResult runtime() {
        String source = System.getProperty("gpfo.runtime", "unknown launcher");
        return CheckResult.ok("java runtime", "Java " + Runtime.version().feature() + " at " + System.getProperty("java.home")
                + " (" + source + ")");
    }

    private CheckResult tool(String name, String packageName) {
        Optional<Path> found = executables.find(name);
        return found.map(path -> CheckResult.ok("tool " + name, "found at " + path))
                .orElseGet(() -> CheckResult.fail("tool " + name, name + " not found in PATH or the sbin directories",
                        "install the package " + packageName));
    }

    private CheckResult greenplumHome() {
        Path home = config.greenplum().home();
        String name = "greenplum home";
        if (!Files.isDirectory(home)) {
            return CheckResult.fail(name, home + " is not a directory",
                    "set greenplum.home to the Greenplum install directory (e.g. /usr/local/greenplum-db)");
        }
        for (String script : ENVIRONMENT_SCRIPTS) {
            if (Files.isRegularFile(home.resolve(script))) {
                return CheckResult.ok(name, home + " has " + script);
            }
        }
        return CheckResult.fail(name, home + " has neither greenplum_path.sh nor cloudberry-env.sh",
                "point greenplum.home at the directory that holds greenplum_path.sh");
    }

    private CheckResult gpactivatestandby() {
        Path tool = config.greenplum().home().resolve("bin").resolve("gpactivatestandby");
        String name = "gpactivatestandby";
        if (Files.isRegularFile(tool) && Files.isExecutable(tool)) {
            return CheckResult.ok(name, "found at " + tool);
        }
        return CheckResult.fail(name, tool + " is missing or not executable",
                "install the Greenplum management utilities on this host, or fix greenplum.home");
    }

    private CheckResult vipInterface() {
        String device = config.vip().interfaceName();
        String name = "vip interface";
        // ask ip, not /sys: /sys shows the namespace it was mounted in, ip shows ours
        CommandResult result = runner.run(PROBE_TIMEOUT, ipCommand(), "-o", "link", "show", "dev", device);
        if (result.ok()) {
            String state = result.stdout().contains("state UP") ? "up" : result.stdout().contains("state DOWN") ? "down" : "present";
            if (state.equals("down")) {
                return CheckResult.warn(name, device + " exists but is down", "ip link set " + device + " up");
            }
            return CheckResult.ok(name, device + " is " + state);
        }
        return CheckResult.fail(name, device + " not found on this host (" + result.failureSummary() + ")",
                "set vip.interface to the NIC of the VIP's subnet (see: ip -o addr)");
    }

    private CheckResult adminUser() {
        String user = config.greenplum().adminUser();
        String name = "admin user";
        CommandResult result = runner.run(PROBE_TIMEOUT, "getent", "passwd", user);
        if (result.ok() && !result.stdout().isBlank()) {
            return CheckResult.ok(name, user + " exists");
        }
        return CheckResult.fail(name, user + " does not exist on this host",
                "set greenplum.admin_user to the user that owns the Greenplum database (usually gpadmin)");
    }

    private CheckResult stateDirectory() {
        Path directory = config.state().directory();
        String name = "state directory";
        String owner = config.greenplum().adminUser();
        if (!Files.exists(directory)) {
            return CheckResult.warn(name, directory + " does not exist yet",
                    "gpfo install creates it; by hand: install -d -o " + owner + " -m 0750 " + directory);
        }
        if (!Files.isDirectory(directory)) {
            return CheckResult.fail(name, directory + " is not a directory", "remove it or set state.directory elsewhere");
        }
        if (!Files.isWritable(directory)) {
            return CheckResult.fail(name, directory + " is not writable by this user",
                    "chown " + owner + " " + directory);
        }
        return CheckResult.ok(name, directory + " is writable");
    }

    private String ipCommand() {
        return executables.find("ip").map(Path::toString).orElse("ip");
    }
}
