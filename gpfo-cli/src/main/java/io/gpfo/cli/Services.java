package io.gpfo.cli;

import io.gpfo.config.ConfigLoader;
import io.gpfo.port.Clock;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.Executables;
import io.gpfo.port.ProcessRunner;
import java.util.Map;

/** The ports the commands use; {@link #real()} in production, fakes in tests. */
public record Services(CommandRunner runner, Clock clock, Map<String, String> environment, ConfigLoader configLoader,
        Executables executables) {

    public static Services real() {
        Map<String, String> environment = System.getenv();
        return new Services(new ProcessRunner(), Clock.SYSTEM, environment, ConfigLoader.forThisHost(),
                Executables.fromPath(environment.get("PATH")));
    }
}
