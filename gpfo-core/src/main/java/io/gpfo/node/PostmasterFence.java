package io.gpfo.node;

import io.gpfo.port.CommandResult;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code fence.sh} did to a coordinator's postmaster: stopped it (its pid), found none
 * running, or could not (it survived SIGKILL, or the script did not run: {@code failure} says why);
 * and the stale socket lock it removed, if any.
 */
public record PostmasterFence(Result result, OptionalLong pid, Optional<String> lockRemoved, String failure) {

    public enum Result {
        STOPPED, NOT_RUNNING, SURVIVED, NOT_RUN
    }

    private static final Pattern STOPPED = Pattern.compile("(?m)^fence=stopped (\\d+)$");
    private static final Pattern NOT_RUNNING = Pattern.compile("(?m)^fence=not-running$");
    private static final Pattern SURVIVED = Pattern.compile("(?m)^fence=failed postmaster (\\d+) survived SIGKILL$");
    private static final Pattern LOCK = Pattern.compile("(?m)^lock=removed (\\S+)$");

    /** No postmaster runs any more: stopped now, or none was running. */
    public boolean done() {
        return result == Result.STOPPED || result == Result.NOT_RUNNING;
    }

    public static PostmasterFence notRun(String why) {
        return new PostmasterFence(Result.NOT_RUN, OptionalLong.empty(), Optional.empty(), why);
    }

    public static PostmasterFence parse(CommandResult run) {
        String output = run.stdout();
        Matcher lock = LOCK.matcher(output);
        Optional<String> lockRemoved = lock.find() ? Optional.of(lock.group(1)) : Optional.empty();
        Matcher stopped = STOPPED.matcher(output);
        if (run.ok() && stopped.find()) {
            return new PostmasterFence(Result.STOPPED, OptionalLong.of(Long.parseLong(stopped.group(1))), lockRemoved, "");
        }
        if (run.ok() && NOT_RUNNING.matcher(output).find()) {
            return new PostmasterFence(Result.NOT_RUNNING, OptionalLong.empty(), lockRemoved, "");
        }
        Matcher survived = SURVIVED.matcher(output);
        if (survived.find()) {
            return new PostmasterFence(Result.SURVIVED, OptionalLong.of(Long.parseLong(survived.group(1))), lockRemoved,
                    "postmaster " + survived.group(1) + " survived SIGKILL");
        }
        String said = output.strip().replace('\n', ' ');
        return notRun(run.failureSummary() + (said.isEmpty() ? "" : " (said: " + said + ")"));
    }

    /** One phrase for logs: "postmaster 77 stopped, stale lock /tmp/.s.PGSQL.5432.lock removed". */
    public String describe() {
        String lock = lockRemoved.map(path -> ", stale lock " + path + " removed").orElse("");
        return switch (result) {
            case STOPPED -> "postmaster " + pid.getAsLong() + " stopped" + lock;
            case NOT_RUNNING -> "no postmaster was running" + lock;
            case SURVIVED, NOT_RUN -> failure;
        };
    }
}
