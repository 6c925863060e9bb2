package io.gpfo.greenplum;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The fields of {@code pg_controldata DIR} that tell a crash from a planned stop (docs/greenplum.md
 * §3.3), which timeline a cluster is on, and where its last checkpoint is (after a clean stop: the
 * shutdown checkpoint, which a switchover's standby must have received).
 */
public record ControlData(String clusterState, OptionalInt timeline, Optional<Lsn> latestCheckpoint) {

    public ControlData(String clusterState, OptionalInt timeline) {
        this(clusterState, timeline, Optional.empty());
    }

    /** "shut down": a clean, planned stop such as gpstop. Never a reason to promote. */
    public boolean cleanlyShutDown() {
        return clusterState.equals("shut down") || clusterState.equals("shut down in recovery");
    }

    /** The state a running primary leaves behind when it dies without a shutdown (kill -9, power loss). */
    public boolean crashedPrimary() {
        return clusterState.equals("in production") || clusterState.equals("in crash recovery");
    }

    public static ControlData parse(String output) {
        String state = field(output, "Database cluster state")
                .orElseThrow(() -> new IllegalArgumentException("pg_controldata output has no 'Database cluster state'"));
        OptionalInt timeline = field(output, "Latest checkpoint's TimeLineID")
                .filter(value -> value.matches("\\d+")).map(value -> OptionalInt.of(Integer.parseInt(value)))
                .orElse(OptionalInt.empty());
        return new ControlData(state, timeline, field(output, "Latest checkpoint location").flatMap(Lsn::parse));
    }

    private static Optional<String> field(String output, String name) {
        return output.lines().filter(line -> line.startsWith(name + ":"))
                .map(line -> line.substring(name.length() + 1).strip()).findFirst();
    }
}
