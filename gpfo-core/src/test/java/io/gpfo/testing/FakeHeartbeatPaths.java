package io.gpfo.testing;

import io.gpfo.decision.Observation.HeartbeatPath;
import io.gpfo.heartbeat.Probes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Heartbeat paths that all answer or all fail, optionally only after a {@link Gate} opens (a probe
 * that hangs, then answers: a caller that waited for it would see the answer); records what was asked.
 */
public final class FakeHeartbeatPaths implements Probes.HeartbeatPaths {

    private volatile boolean answering;
    private volatile Optional<Gate> hang = Optional.empty();
    private final List<HeartbeatPath> asked = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public FakeHeartbeatPaths answering(boolean answers) {
        this.answering = answers;
        return this;
    }

    public FakeHeartbeatPaths hanging(Gate gate) {
        this.hang = Optional.of(gate);
        return this;
    }

    @Override
    public boolean answers(HeartbeatPath path) {
        asked.add(path);
        hang.ifPresent(Gate::pass);
        return answering;
    }

    public List<HeartbeatPath> asked() {
        return List.copyOf(asked);
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
