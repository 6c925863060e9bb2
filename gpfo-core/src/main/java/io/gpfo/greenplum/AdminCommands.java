package io.gpfo.greenplum;

import io.gpfo.config.GpfoConfig;
import io.gpfo.port.CommandRunner.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the commands that run a Greenplum tool as the admin user with the Greenplum
 * environment sourced, the way an operator would after {@code su - gpadmin}. The tool and its
 * arguments travel as positional parameters of one fixed bash script, never pasted into it.
 */
public final class AdminCommands {

    /**
     * Sources the environment script, optionally puts gpfo's wrapper directory first on PATH
     * (after the script, which prepends $GPHOME/bin), then execs the tool.
     */
    public static final String LAUNCH = "source \"$1\" >/dev/null && shift && "
            + "if [ -n \"${GPFO_WRAPPERS:-}\" ]; then PATH=\"$GPFO_WRAPPERS:$PATH\"; export PATH; fi && exec \"$@\"";

    private final GpfoConfig.Greenplum greenplum;
    private final boolean runningAsRoot;
    private final String currentUser;

    public AdminCommands(GpfoConfig.Greenplum greenplum, boolean runningAsRoot, String currentUser) {
        this.greenplum = greenplum;
        this.runningAsRoot = runningAsRoot;
        this.currentUser = currentUser;
    }

    /** The environment script of this install: cloudberry-env.sh (Cloudberry 2.1+) or greenplum_path.sh. */
    public Path environmentScript() {
        Path cloudberry = greenplum.home().resolve("cloudberry-env.sh");
        return Files.isRegularFile(cloudberry) && !Files.isRegularFile(greenplum.home().resolve("greenplum_path.sh"))
                ? cloudberry : greenplum.home().resolve("greenplum_path.sh");
    }

    /**
     * @param tool        the program and its arguments, e.g. {@code gpactivatestandby -d DIR -a -q}
     * @param environment extra variables (PGPORT, the data-directory variable, GPFO_WRAPPERS)
     */
    public Command asAdmin(List<String> tool, Map<String, String> environment, Duration timeout) {
        List<String> argv = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>(environment);
        if (!currentUser.equals(greenplum.adminUser())) {
            if (!runningAsRoot) {
                throw new IllegalStateException("running as " + currentUser + ": run gpfo as root or as "
                        + greenplum.adminUser() + " to use Greenplum tools");
            }
            // runuser keeps the environment (but HOME, USER, LOGNAME, SHELL), so ours reaches the tool
            argv.addAll(List.of("runuser", "-u", greenplum.adminUser(), "--"));
        }
        argv.addAll(List.of("bash", "-c", LAUNCH, "gpfo", environmentScript().toString()));
        argv.addAll(tool);
        return new Command(argv, env, null, timeout);
    }

    /** {@code $GPHOME/bin/postgres --gp-version}: the version banner (docs/greenplum.md §2). */
    public Command versionQuery(Duration timeout) {
        return asAdmin(List.of(greenplum.home().resolve("bin/postgres").toString(), "--gp-version"), Map.of(), timeout);
    }
}
