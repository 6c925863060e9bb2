package io.gpfo.cli;

import io.gpfo.config.ConfigException;
import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import java.io.PrintWriter;
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
}
