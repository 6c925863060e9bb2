package io.gpfo.greenplum;

import io.gpfo.config.GpfoConfig;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import java.time.Duration;

/** {@code greenplum.version}: 6 or 7 as configured, or {@code auto} from {@code postgres --gp-version}. */
public final class VersionDetector {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private VersionDetector() {
    }

    public static GreenplumRelease detect(GpfoConfig.Greenplum greenplum, AdminCommands admin, CommandRunner runner) {
        return switch (greenplum.version()) {
            case GP6 -> GreenplumRelease.of(GreenplumRelease.Family.GP6);
            case GP7 -> GreenplumRelease.of(GreenplumRelease.Family.GP7);
            case AUTO -> {
                CommandResult result = runner.run(admin.versionQuery(TIMEOUT));
                if (!result.ok()) {
                    throw new IllegalStateException("cannot detect the Greenplum version: " + greenplum.home()
                            + "/bin/postgres --gp-version failed (" + result.failureSummary()
                            + "); fix greenplum.home or set greenplum.version: 6 or 7");
                }
                yield GreenplumRelease.parse(result.stdout());
            }
        };
    }
}
