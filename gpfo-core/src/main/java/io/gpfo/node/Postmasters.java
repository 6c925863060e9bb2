package io.gpfo.node;

import io.gpfo.port.CommandResult;
import io.gpfo.ssh.SshException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Inspects and fences the postmaster of either coordinator host, with one shell script per
 * task that runs as the admin user (locally or over SSH) in a single round trip.
 */
public final class Postmasters {

    private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(10);
    /** pg_ctl's 5 s immediate stop, then SIGKILL and up to 3 s for the process to go. */
    private static final Duration FENCE_TIMEOUT = Duration.ofSeconds(20);

    static final String INSPECT = script("postmaster-pid.sh") + script("inspect.sh");
    static final String FENCE = script("postmaster-pid.sh") + script("fence.sh");

    private final NodeAccess access;

    public Postmasters(NodeAccess access) {
        this.access = access;
    }

    public Inspection inspect(NodeName node) throws SshException {
        String dataDirectory = node.of(access.config()).dataDirectory().toString();
        CommandResult result = access.runAsAdmin(node, List.of("bash", "-c", INSPECT, "inspect", dataDirectory), INSPECT_TIMEOUT);
        if (!result.ok()) {
            throw new IllegalStateException("inspecting " + dataDirectory + " on " + access.host(node) + " failed: "
                    + result.failureSummary());
        }
        return Inspection.parse(result.stdout());
    }

    /** Stops the postmaster (immediate, then SIGKILL) and clears a stale socket lock. */
    public Fence fence(NodeName node) throws SshException {
        var section = node.of(access.config());
        CommandResult result = access.runAsAdmin(node, List.of("bash", "-c", FENCE, "fence",
                section.dataDirectory().toString(), Integer.toString(section.port())), FENCE_TIMEOUT);
        String output = result.stdout().strip();
        return new Fence(result.ok(), output.isEmpty() ? result.failureSummary() : output.replace('\n', ' '));
    }

    /** The outcome of a fence: whether the postmaster is gone, and what the script said. */
    public record Fence(boolean done, String detail) {
    }

    private static String script(String name) {
        try (InputStream in = Postmasters.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
