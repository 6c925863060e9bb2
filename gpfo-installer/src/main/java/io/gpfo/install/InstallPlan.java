package io.gpfo.install;

import java.util.ArrayList;
import java.util.List;

/** Every host's steps in the order they run, and what follows them; printed before anything is done. */
public record InstallPlan(String heading, List<HostPlan> hosts, List<String> afterwards) {

    public InstallPlan {
        hosts = List.copyOf(hosts);
        afterwards = List.copyOf(afterwards);
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(heading);
        hosts.forEach(host -> lines.addAll(host.lines()));
        if (!afterwards.isEmpty()) {
            lines.add("  then:");
            afterwards.forEach(line -> lines.add("    " + line));
        }
        return lines;
    }
}
