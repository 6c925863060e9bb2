package io.gpfo.port;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CommandRunner} for unit tests: answers only the commands it was told about (matched
 * on the argv joined by spaces), records every call, and fails the test on anything else.
 */
public final class FakeCommandRunner implements CommandRunner {

    private final Map<String, CommandResult> answers = new LinkedHashMap<>();
    private final List<Command> calls = new ArrayList<>();

    public FakeCommandRunner answer(String argv, int exitCode, String stdout) {
        answers.put(argv, new CommandResult(exitCode, stdout, exitCode == 0 ? "" : "failed", false, Duration.ZERO));
        return this;
    }

    public FakeCommandRunner timeout(String argv) {
        answers.put(argv, new CommandResult(-1, "", "", true, Duration.ofSeconds(5)));
        return this;
    }

    @Override
    public CommandResult run(Command command) {
        calls.add(command);
        CommandResult answer = answers.get(command.display());
        if (answer == null) {
            throw new AssertionError("unexpected command: " + command.display() + "\nexpected one of: " + answers.keySet());
        }
        return answer;
    }

    public List<String> calls() {
        return calls.stream().map(Command::display).toList();
    }

    public List<Command> commands() {
        return List.copyOf(calls);
    }
}
