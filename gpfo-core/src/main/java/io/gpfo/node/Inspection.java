package io.gpfo.node;

import io.gpfo.greenplum.ControlData;
import java.util.Optional;
import java.util.OptionalLong;

/** What {@code inspect.sh} found in a coordinator's data directory. */
public record Inspection(Postmaster postmaster, OptionalLong pid, Optional<String> processState,
        Optional<ControlData> controlData, Optional<Boolean> localAnswers) {

    public Inspection(Postmaster postmaster, OptionalLong pid, Optional<String> processState, Optional<ControlData> controlData) {
        this(postmaster, pid, processState, controlData, Optional.empty());
    }

    public enum Postmaster {
        RUNNING, NOT_RUNNING, NO_DATA_DIRECTORY
    }

    public boolean running() {
        return postmaster == Postmaster.RUNNING;
    }

    /**
     * Running, and it does not accept connections even on its own host (pg_isready over the local
     * socket): hung. One that answers there is alive, and a failing remote probe is the network's.
     */
    public boolean hung() {
        return stopped() || running() && localAnswers.map(answers -> !answers).orElse(false);
    }

    /** Alive but stopped by SIGSTOP (state T): it will never answer until continued. */
    public boolean stopped() {
        return running() && processState.map("T"::equals).orElse(false);
    }

    /** Not running, and the control file says it did not shut down cleanly: a crash, not a gpstop. */
    public boolean crashed() {
        return postmaster == Postmaster.NOT_RUNNING && controlData.map(ControlData::crashedPrimary).orElse(false);
    }

    /** Not running after a clean shutdown: a planned stop (gpstop), never a reason to promote. */
    public boolean cleanlyStopped() {
        return postmaster == Postmaster.NOT_RUNNING && controlData.map(ControlData::cleanlyShutDown).orElse(false);
    }

    public static Inspection parse(String output) {
        String[] parts = output.split("--- pg_controldata\n", 2);
        String head = parts[0];
        Postmaster postmaster = head.contains("postmaster=running") ? Postmaster.RUNNING
                : head.contains("postmaster=no-data-directory") ? Postmaster.NO_DATA_DIRECTORY
                : head.contains("postmaster=not-running") ? Postmaster.NOT_RUNNING : null;
        if (postmaster == null) {
            throw new IllegalArgumentException("unexpected inspection output: " + output.strip());
        }
        OptionalLong pid = head.lines().filter(line -> line.matches("pid=\\d+"))
                .mapToLong(line -> Long.parseLong(line.substring(4))).findFirst();
        Optional<String> state = head.lines().filter(line -> line.startsWith("process-state="))
                .map(line -> line.substring("process-state=".length())).findFirst();
        Optional<ControlData> control = Optional.empty();
        if (parts.length > 1 && parts[1].contains("Database cluster state:")) {
            control = Optional.of(ControlData.parse(parts[1]));
        }
        Optional<Boolean> local = head.contains("local-sql=ok") ? Optional.of(true)
                : head.contains("local-sql=failed") ? Optional.of(false) : Optional.empty();
        return new Inspection(postmaster, pid, state, control, local);
    }

    /** One phrase for messages: "running (pid 123)", "stopped with SIGSTOP", "not running, crashed (in production)". */
    public String describe() {
        String control = controlData.map(data -> " (" + data.clusterState() + ")").orElse("");
        return switch (postmaster) {
            case RUNNING -> stopped() ? "postmaster stopped (SIGSTOP, pid " + pid.orElse(0) + ")"
                    : "postmaster running (pid " + pid.orElse(0) + ")" + localAnswers.map(answers -> answers
                            ? ", accepting connections on its host" : ", not accepting connections even on its host").orElse("");
            case NO_DATA_DIRECTORY -> "no data directory";
            case NOT_RUNNING -> crashed() ? "no postmaster, crashed" + control
                    : cleanlyStopped() ? "no postmaster, shut down cleanly" + control : "no postmaster" + control;
        };
    }
}
