package io.gpfo.install;

import java.util.ArrayList;
import java.util.List;

/**
 * The steps for one host, in order.
 *
 * @param host  the configured host name
 * @param local whether it is this host (steps run here) or the peer (over SSH, through sudo)
 * @param how   how it is reached and which init system, for the plan's heading
 */
public record HostPlan(String host, boolean local, String how, List<Step> steps) {

    public HostPlan {
        steps = List.copyOf(steps);
    }

    /** The plan as printed: a heading, then one indented line per step. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("  on " + host + " (" + how + "):");
        steps.forEach(step -> lines.add("    " + step.describe()));
        return lines;
    }
}
