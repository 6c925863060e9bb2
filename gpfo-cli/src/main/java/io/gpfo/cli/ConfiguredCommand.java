package io.gpfo.cli;

import io.gpfo.config.ConfigException;
import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import java.io.PrintWriter;
import io.gpfo.history.EventLog;
import io.gpfo.history.EventRecord;
import java.io.IOException;
import java.util.Optional;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that reads gpfo.yaml: finds it (--config, $GPFO_CONFIG, default) and loads it. */
@picocli.CommandLine.Command
abstract class ConfiguredCommand {

    @Spec
    CommandSpec spec;

    final Services services;

    ConfiguredCommand(Services services) {
        this.services = services;
    }

    Path configPath() {
        GpfoCommand root = (GpfoCommand) spec.root().userObject();
        return ConfigLoader.locate(root.config, services.environment());
    }

    GpfoConfig loadConfig() throws ConfigException {
        return services.configLoader().load(configPath());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Puts an operator's command in this host's event log, with who ran it ('gpfo history' shows it).
     * The log is for people afterwards: a log that cannot be written is said, never fatal.
     */
    void recordCommand(Wiring wiring, String command, String message) {
        String user = services.environment().getOrDefault("SUDO_USER", System.getProperty("user.name", "unknown"));
        try {
            new EventLog(wiring.config.state().directory()).append(new EventRecord(services.clock().now(),
                    wiring.access.host(wiring.local()), EventRecord.Kind.COMMAND, command, "info", message, Optional.empty(),
                    Optional.of(user)));
        } catch (IOException e) {
            err().println("gpfo: note: the event log could not record this command: " + e.getMessage());
        }
    }
}
