package io.gpfo.install;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** What a host must have before gpfo is installed on it, judged from its {@link HostFacts}. Pure. */
public final class Requirements {

    /** The lowest Java release gpfo runs on. */
    public static final int JAVA = 17;

    /** The first systemd with AmbientCapabilities, which the unit needs for the VIP (RHEL 7 has 219). */
    public static final int SYSTEMD = 229;

    /** Debian package (RHEL package) with each tool. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("ip", "iproute2 (RHEL: iproute)"),
            Map.entry("arping", "iputils-arping (RHEL: iputils)"),
            Map.entry("ping", "iputils-ping (RHEL: iputils)"),
            Map.entry("logger", "bsdutils (RHEL: util-linux)"),
            Map.entry("wall", "bsdutils (RHEL: util-linux)"),
            Map.entry("visudo", "sudo"),
            Map.entry("tar", "tar"),
            Map.entry("sha256sum", "coreutils"),
            Map.entry("install", "coreutils"),
            Map.entry("setsid", "util-linux"),
            Map.entry("runuser", "util-linux"),
            Map.entry("systemctl", "systemd"));

    private Requirements() {
    }

    /** One unmet requirement: what, why, and the fix. */
    public record Problem(String what, String why, String fix) {
    }

    /**
     * @param override       {@code --init}, when given
     * @param bundledRuntime whether the distribution carries its own Java runtime
     */
    public static List<Problem> check(String host, HostFacts facts, String adminUser, Optional<InitSystem> override,
            boolean bundledRuntime) {
        List<Problem> problems = new ArrayList<>();
        InitSystem init = InitSystem.choose(override, facts.systemdRunning());
        List<String> needed = new ArrayList<>(HostFacts.REQUIRED);
        if (init == InitSystem.SYSTEMD) {
            needed.add("systemctl");
        }
        List<String> missing = facts.missing(needed);
        if (!missing.isEmpty()) {
            Set<String> packages = new LinkedHashSet<>();
            missing.forEach(tool -> packages.add(PACKAGES.getOrDefault(tool, tool)));
            problems.add(new Problem("tools on " + host, "missing: " + String.join(", ", missing),
                    "install " + String.join(", ", packages)));
        }
        if (!bundledRuntime) {
            OptionalInt java = facts.javaMajor();
            if (java.isEmpty()) {
                problems.add(new Problem("java on " + host, "no java on the services' PATH and the distribution bundles no"
                        + " runtime", "install Java " + JAVA + "+ (Debian: openjdk-17-jre-headless, RHEL: java-17-openjdk-headless)"));
            } else if (java.getAsInt() < JAVA) {
                problems.add(new Problem("java on " + host, "java " + java.getAsInt() + " (" + facts.javaVersion().orElse("")
                        + ") is older than " + JAVA, "install Java " + JAVA + "+"));
            }
        }
        if (facts.adminGroup().isEmpty()) {
            problems.add(new Problem("admin user on " + host, "user " + adminUser + " does not exist",
                    "create the Greenplum admin user there, or set greenplum.admin_user"));
        }
        if (override.equals(Optional.of(InitSystem.SYSTEMD)) && !facts.systemdRunning()) {
            problems.add(new Problem("init system on " + host, "--init systemd, but systemd does not run there (no"
                    + " /run/systemd/system)", "use --init sysv, or leave --init at auto"));
        }
        OptionalInt systemd = facts.systemdMajor();
        if (init == InitSystem.SYSTEMD && systemd.isPresent() && systemd.getAsInt() < SYSTEMD) {
            // older systemd ignores AmbientCapabilities with a warning: the agent would run without
            // CAP_NET_ADMIN and fail only when it has to move the VIP, in the middle of a failover
            problems.add(new Problem("systemd on " + host, "systemd " + systemd.getAsInt() + " lacks AmbientCapabilities"
                    + " (needs " + SYSTEMD + "+): the agent could not move the VIP", "use --init sysv"));
        }
        return problems;
    }
}
