package io.gpfo.node;

import io.gpfo.port.CommandResult;
import io.gpfo.port.Scripts;
import io.gpfo.ssh.SshException;
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

    static final String INSPECT = Scripts.load(Postmasters.class, "postmaster-pid.sh") + Scripts.load(Postmasters.class, "inspect.sh");
    static final String FENCE = Scripts.load(Postmasters.class, "postmaster-pid.sh") + Scripts.load(Postmasters.class, "fence.sh");

    private final NodeAccess access;

    public Postmasters(NodeAccess access) {
        this.access = access;
    }

    public Inspection inspect(NodeName node) throws SshException {
        String dataDirectory = node.of(access.config()).dataDirectory().toString();
        String port = Integer.toString(node.of(access.config()).port());
        CommandResult result = access.runAsAdmin(node, List.of("bash", "-c", INSPECT, "inspect", dataDirectory, port),
                INSPECT_TIMEOUT);
        if (!result.ok()) {
            throw new IllegalStateException("inspecting " + dataDirectory + " on " + access.host(node) + " failed: "
                    + result.failureSummary());
        }
        return Inspection.parse(result.stdout());
    }

    /**
     * Stops the postmaster (immediate, then SIGKILL; at once SIGKILL when it is stopped by SIGSTOP,
     * which no other signal reaches) and clears a stale socket lock. Never throws: an SSH failure
     * is a fence that did not run.
     */
    public PostmasterFence fence(NodeName node) {
        var section = node.of(access.config());
        try {
            return PostmasterFence.parse(access.runAsAdmin(node, List.of("bash", "-c", FENCE, "fence",
                    section.dataDirectory().toString(), Integer.toString(section.port())), FENCE_TIMEOUT));
        } catch (SshException e) {
            return PostmasterFence.notRun(String.valueOf(e.getMessage()));
        }
    }
}
