package io.gpfo.cli;

import io.gpfo.config.ConfigException;
import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import java.io.PrintWriter;
import io.gpfo.port.CommandResult;
import io.gpfo.ssh.SshException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    /** Runs the same change on the peer; exit 1 (with what to do) when it cannot be reached. */
    int onPeer(Wiring wiring, List<String> argv, String what, String when) {
        String peer = wiring.access.host(wiring.peer());
        try {
            CommandResult result = wiring.access.remote().run(peer, argv, Duration.ofSeconds(10));
            if (result.ok()) {
                err().println("OK      " + what + " on " + peer + (when.isEmpty() ? "" : " " + when));
                return ExitCode.OK;
            }
            err().println("FAILED  " + what + " on " + peer + ": " + result.failureSummary());
        } catch (SshException e) {
            err().println("FAILED  " + what + " on " + peer + ": " + e.getMessage());
        }
        err().println("gpfo: only this host is " + what + "; run the same command on " + peer + " when it is reachable");
        return ExitCode.FAILED;
    }
}
