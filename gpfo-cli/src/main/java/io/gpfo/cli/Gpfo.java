package io.gpfo.cli;

import io.gpfo.config.ConfigException;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Builds the command line; {@link Main} and the tests share this one factory. */
public final class Gpfo {

    private Gpfo() {
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Services services) {
        CommandLine commandLine = new CommandLine(new GpfoCommand(), new ServicesFactory(services));
        commandLine.setOut(out);
        commandLine.setErr(err);
        CommandLine.IParameterExceptionHandler usual = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((exception, args) -> {
            if (java.util.Arrays.asList(args).contains("--json")) {
                // a monitor that asked for JSON parses every answer: one object, also for a command line gpfo refused
                com.fasterxml.jackson.databind.node.ObjectNode error = new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode().put("error", String.valueOf(exception.getMessage()));
                out.println(error.toString());
                out.flush();
            }
            return usual.handleParseException(exception, args);
        });
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (exception instanceof GpfoException gpfo) {
                err.println("gpfo: " + gpfo.getMessage());
                return gpfo.exitCode();
            }
            if (exception instanceof ConfigException config) {
                config.errors().forEach(err::println);
                err.println("gpfo: the configuration has " + config.errors().size()
                        + " error(s); nothing was done. Fix them and run 'gpfo check'.");
                return ExitCode.USAGE;
            }
            if (exception instanceof InterruptedException) {
                err.println("gpfo: interrupted");
                return ExitCode.INTERRUPTED;
            }
            err.println("gpfo: unexpected error: " + exception);
            if (failed.getCommandSpec().root().userObject() instanceof GpfoCommand root && root.verbose) {
                exception.printStackTrace(err);
            } else {
                err.println("gpfo: run again with --verbose for the stack trace");
            }
            return ExitCode.FAILED;
        });
        return commandLine;
    }

    /** Gives commands that take {@link Services} in their constructor the ports they need. */
    private static final class ServicesFactory implements CommandLine.IFactory {
        private final Services services;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        ServicesFactory(Services services) {
            this.services = services;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                Class<?>[] parameters = constructor.getParameterTypes();
                if (parameters.length == 1 && parameters[0] == Services.class) {
                    constructor.setAccessible(true);
                    return type.cast(constructor.newInstance(services));
                }
            }
            return fallback.create(type);
        }
    }
}
