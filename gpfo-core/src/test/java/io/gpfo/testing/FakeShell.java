package io.gpfo.testing;

import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.ssh.SshException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Both coordinator hosts' shells in one fake: the local runner (this host) and SSH to any other
 * host, answering commands by a fragment of their argv, and recording every call in one list, so
 * a test sees the order of commands across hosts (the old coordinator fenced before
 * gpactivatestandby runs here). Thread-safe: the probes call it from many threads.
 *
 * <p>A command is written as its argv joined by spaces, a multi-line script argument shown as
 * {@code <script>}: {@code bash -c <script> fence /data/coordinator/gpseg-1 5432}. Of the rules
 * whose host and fragment match, the one added last answers; a command no rule answers fails
 * the test.
 */
public final class FakeShell implements RemoteShell {

    /** How a host answers one command; may throw to say SSH could not run it. */
    @FunctionalInterface
    public interface Reply {
        CommandResult answer(List<String> argv) throws SshException;
    }

    private record Rule(String host, String fragment, Reply reply) {
    }

    private final String localHost;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** The environment each local command was given, in order (over SSH it travels in the argv, recorded there). */
    private final List<Map.Entry<String, Map<String, String>>> localEnvironments = new CopyOnWriteArrayList<>();

    public FakeShell(String localHost) {
        this.localHost = localHost;
    }

    public static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "", false, Duration.ofMillis(5));
    }

    public static CommandResult exit(int code, String stdout, String stderr) {
        return new CommandResult(code, stdout, stderr, false, Duration.ofMillis(5));
    }

    public static SshException connectTimedOut(String host) {
        return new SshException(SshException.Kind.UNREACHABLE, host, "connect to " + host + " port 22 timed out", null);
    }

    /** The form commands are matched and recorded in: argv joined by spaces, scripts elided. */
    public static String display(List<String> argv) {
        return String.join(" ", argv.stream().map(argument -> argument.contains("\n") ? "<script>" : argument).toList());
    }

    public FakeShell on(String host, String fragment, Reply reply) {
        rules.add(new Rule(host, fragment, reply));
        return this;
    }

    public FakeShell answer(String host, String fragment, CommandResult result) {
        return on(host, fragment, argv -> result);
    }

    /** Every SSH command to {@code host} fails to connect (the local host is never reached over SSH). */
    public FakeShell unreachable(String host) {
        return on(host, "", argv -> {
            throw connectTimedOut(host);
        });
    }

    /** Every SSH command to {@code host} is refused: its host key changed since known_hosts recorded it. */
    public FakeShell hostKeyChanged(String host) {
        return on(host, "", argv -> {
            throw new SshException(SshException.Kind.HOST_KEY, host, "the host key of " + host + " has CHANGED since it was"
                    + " recorded in known_hosts; refusing to connect", null);
        });
    }

    /** This host's commands, as the local {@link CommandRunner} runs them. */
    public CommandRunner local() {
        return command -> {
            localEnvironments.add(Map.entry(display(command.argv()), command.environment()));
            try {
                return call(localHost, command.argv());
            } catch (SshException e) {
                throw new AssertionError("a local command cannot fail to connect: " + e.getMessage(), e);
            }
        };
    }

    @Override
    public CommandResult run(String host, List<String> argv, Duration timeout) throws SshException {
        if (host.equals(localHost)) {
            throw new AssertionError("SSH to this host itself: " + display(argv));
        }
        return call(host, argv);
    }

    private CommandResult call(String host, List<String> argv) throws SshException {
        String command = display(argv);
        calls.add(host + ": " + command);
        List<Rule> matching = rules.stream().filter(rule -> rule.host().equals(host) && command.contains(rule.fragment())).toList();
        if (matching.isEmpty()) {
            throw new AssertionError("unexpected command on " + host + ": " + command);
        }
        return matching.get(matching.size() - 1).reply().answer(argv);
    }

    /** Every command so far, in order, as {@code host: command}. */
    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The calls that contain {@code fragment}. */
    public List<String> calls(String fragment) {
        return calls().stream().filter(call -> call.contains(fragment)).toList();
    }

    /** The environment of the first local command containing {@code fragment}; fails the test when none ran. */
    public Map<String, String> environmentOf(String fragment) {
        return localEnvironments.stream().filter(entry -> entry.getKey().contains(fragment)).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no local command containing '" + fragment + "' ran"));
    }

    /** Where in the call list the first command containing {@code fragment} is; -1 when none ran. */
    public int indexOf(String fragment) {
        List<String> all = calls();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }
}
