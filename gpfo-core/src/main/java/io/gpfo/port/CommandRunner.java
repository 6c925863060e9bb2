package io.gpfo.port;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a local program. Arguments are an argv list, never a shell string, so nothing a config
 * or an operator typed is ever parsed by a shell.
 */
public interface CommandRunner {

    CommandResult run(Command command);

    default CommandResult run(Duration timeout, String... argv) {
        return run(Command.of(timeout, argv));
    }

    /** What to run: argv, extra environment, optional standard input, and a hard timeout. */
    record Command(List<String> argv, Map<String, String> environment, String stdin, Duration timeout) {
        public Command {
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("empty argv");
            }
            argv = List.copyOf(argv);
            environment = Map.copyOf(environment);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
        }

        public static Command of(Duration timeout, String... argv) {
            return new Command(List.of(argv), Map.of(), null, timeout);
        }

        public Command withEnvironment(Map<String, String> env) {
            return new Command(argv, env, stdin, timeout);
        }

        public Command withStdin(String input) {
            return new Command(argv, environment, input, timeout);
        }

        /** The argv as one line for logs; not for execution. */
        public String display() {
            return String.join(" ", argv);
        }
    }
}
