package io.gpfo.cli;

import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.install.DistributionTree;
import io.gpfo.port.Clock;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.Executables;
import io.gpfo.port.ProcessRunner;
import io.gpfo.port.Resolver;
import io.gpfo.sql.CoordinatorSql;
import io.gpfo.sql.JdbcCoordinatorSql;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.ssh.SshjRemoteShell;
import io.gpfo.vip.HostAddresses;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The ports the commands use: {@link #real()} in production, fakes in tests.
 *
 * @param addresses this host's interface addresses (which configured host this is, does it hold the VIP)
 * @param gpfoHome the distribution's directory (bin, lib, libexec), when started by bin/gpfo
 * @param distributionTree how install reads that directory's owners and modes
 */
public record Services(CommandRunner runner, Clock clock, Map<String, String> environment, ConfigLoader configLoader,
        Executables executables, Function<GpfoConfig, RemoteShell> remoteShells, Function<GpfoConfig, CoordinatorSql> sql,
        Function<String, List<String>> resolver, HostAddresses addresses, String currentUser, boolean root,
        Optional<Path> gpfoHome, DistributionTree distributionTree) {

    public static Services real() {
        Map<String, String> environment = System.getenv();
        return new Services(new ProcessRunner(), Clock.SYSTEM, environment, ConfigLoader.forThisHost(),
                Executables.fromPath(environment.get("PATH")),
                config -> new SshjRemoteShell(config.ssh().user(), config.ssh().port(), config.ssh().identityFile(),
                        config.ssh().knownHosts(), config.ssh().connectTimeout()),
                config -> new JdbcCoordinatorSql(config.greenplum().adminUser(), config.greenplum().database()),
                Resolver::ipv4, HostAddresses.system(), System.getProperty("user.name"), ConfigLoader.isRoot(),
                Optional.ofNullable(System.getProperty("gpfo.home")).map(Path::of), DistributionTree.system());
    }
}
