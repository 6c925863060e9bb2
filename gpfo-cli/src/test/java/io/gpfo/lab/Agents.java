package io.gpfo.lab;

import io.gpfo.history.EventRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Waiting on, and counting, what the lab's agents did: their event logs (events.jsonl), never log prose. */
final class Agents {

    private Agents() {
    }

    /**
     * A fresh lab (Greenplum {@code gp}) with gpfo set up ({@code extraYaml} added to its config) and both agents
     * running and settled (the standby watching, the coordinator serving); the watch for two primaries starts then.
     */
    static PrimaryWatch startPair(String gp, String extraYaml) {
        return startPair(gp, extraYaml, () -> { });
    }

    /** The same, with {@code beforeAgents} run on the fresh lab first (e.g. the arbiter's etcd members started). */
    static PrimaryWatch startPair(String gp, String extraYaml, Runnable beforeAgents) {
        Lab.lab(Duration.ofMinutes(2), "down");
        Lab.up(gp);
        beforeAgents.run();
        return startAgents(extraYaml);
    }

    /** On the lab as it is: gpfo set up on mdw and smdw with {@code extraYaml}, both agents started, until they watch and serve. */
    static PrimaryWatch startAgents(String extraYaml) {
        Lab.prepareGpfo(extraYaml);
        Lab.agents("start");
        awaitEvent("smdw", EventRecord.Kind.DECISION, "watching", Duration.ofSeconds(30));
        awaitEvent("mdw", EventRecord.Kind.DECISION, "serving", Duration.ofSeconds(30));
        return new PrimaryWatch();
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what + "\nsmdw log:\n" + Lab.agentLog("smdw")
                        + "\nmdw log:\n" + Lab.agentLog("mdw"));
            }
            Lab.exec("client", "sleep", "0.3");
        }
    }

    /** Waits this long while nothing may happen (the agents would have acted by then). */
    static void quietFor(Duration duration) {
        Lab.exec("client", "sleep", Long.toString(duration.toSeconds()));
    }

    static void awaitEvent(String host, EventRecord.Kind kind, String event, Duration timeout) {
        await(() -> count(host, kind, event) > 0, timeout, host + "'s event log to have " + kind.label() + " " + event);
    }

    /** Waits until {@code host}'s agent has promoted {@code times} times in all (its promote action ended well). */
    static void awaitPromoted(String host, long times, Duration timeout) {
        await(() -> promotions(host) >= times, timeout, host + "'s promote action to succeed (" + times + " in all)");
    }

    static long promotions(String host) {
        return Lab.events(host).stream().filter(record -> record.kind() == EventRecord.Kind.ACTION
                && record.event().equals("promote") && record.result().equals(Optional.of(EventRecord.Result.OK))).count();
    }

    static long count(String host, EventRecord.Kind kind, String event) {
        return Lab.events(host).stream().filter(record -> record.kind() == kind && record.event().equals(event)).count();
    }

    /** When that host's first such event happened. */
    static Instant firstAt(String host, EventRecord.Kind kind, String event) {
        return Lab.events(host).stream().filter(record -> record.kind() == kind && record.event().equals(event))
                .map(EventRecord::at).findFirst().orElseThrow(() -> new AssertionError(host + " has no " + event));
    }

    /** pg_is_in_recovery() of that host's database as psql prints it ("t", "f"), empty when it does not answer. */
    /**
     * pg_is_in_recovery() of the host's database: "t", "f", or "" when it does not answer. Greenplum 6's standby
     * master answers no query: its refusal ("the database system is in recovery mode") is read as "t".
     */
    static String inRecovery(String host) {
        io.gpfo.port.CommandResult result = Lab.sql(host, host, "select pg_is_in_recovery()");
        return result.stderr().contains("the database system is in recovery mode") ? "t" : result.stdout().strip();
    }

    /** The message of the first such event on that host. */
    static String message(String host, EventRecord.Kind kind, String event) {
        return Lab.events(host).stream().filter(record -> record.kind() == kind && record.event().equals(event))
                .map(EventRecord::message).findFirst().orElse("");
    }
}
