package io.gpfo.install;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code facts.sh} found on a host: whether systemd runs and which ({@code systemctl
 * --version}'s first line), where each tool is (with the PATH a service gets), the Java version on
 * that PATH, and the admin user's primary group.
 */
public record HostFacts(boolean systemdRunning, Optional<String> systemdVersion, Map<String, String> tools,
        Optional<String> javaVersion, Optional<String> adminGroup) {

    /** Every tool facts.sh looks for. */
    public static final List<String> PROBED = List.of("ip", "arping", "ping", "logger", "wall", "visudo", "tar",
            "sha256sum", "install", "setsid", "runuser", "systemctl", "chkconfig", "update-rc.d", "java");

    /** The tools gpfo needs on every coordinator host, whatever the init system; java is checked apart. */
    public static final List<String> REQUIRED = List.of("ip", "arping", "ping", "logger", "wall", "visudo", "tar",
            "sha256sum", "install", "setsid", "runuser");

    private static final Pattern GROUP = Pattern.compile("[a-z_][a-z0-9_-]{0,31}\\$?");
    private static final Pattern JAVA_VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");
    private static final Pattern SYSTEMD_VERSION = Pattern.compile("^systemd (\\d+)\\b");

    public HostFacts {
        tools = Map.copyOf(tools);
    }

    public Optional<String> tool(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public List<String> missing(List<String> names) {
        return names.stream().filter(name -> !tools.containsKey(name)).toList();
    }

    /** The major version of the java on the service's PATH ({@code 1.8} counts as 8). */
    public OptionalInt javaMajor() {
        if (javaVersion.isEmpty()) {
            return OptionalInt.empty();
        }
        Matcher matcher = JAVA_VERSION.matcher(javaVersion.get());
        if (!matcher.find()) {
            return OptionalInt.empty();
        }
        int first = Integer.parseInt(matcher.group(1));
        return OptionalInt.of(first == 1 && matcher.group(2) != null ? Integer.parseInt(matcher.group(2)) : first);
    }

    /** systemd's version number ({@code systemd 219} is 219); empty without systemctl or when unreadable. */
    public OptionalInt systemdMajor() {
        Optional<Matcher> matched = systemdVersion.map(SYSTEMD_VERSION::matcher).filter(Matcher::find);
        return matched.isPresent() ? OptionalInt.of(Integer.parseInt(matched.get().group(1))) : OptionalInt.empty();
    }

    /** How SysV services are registered for boot on this host. */
    public SysvRegistration sysvRegistration() {
        if (tools.containsKey("chkconfig")) {
            return SysvRegistration.CHKCONFIG;
        }
        return tools.containsKey("update-rc.d") ? SysvRegistration.UPDATE_RC_D : SysvRegistration.RC_LINKS;
    }

    /** Parses facts.sh output ({@code key=value} lines); unknown keys are ignored, an odd group name is dropped. */
    public static HostFacts parse(String output) {
        boolean systemd = false;
        String systemdVersion = null;
        Map<String, String> tools = new LinkedHashMap<>();
        String java = null;
        String group = null;
        List<String> lines = new ArrayList<>(output.lines().toList());
        for (String line : lines) {
            int equals = line.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = line.substring(0, equals);
            String value = line.substring(equals + 1).strip();
            if (key.equals("systemd")) {
                systemd = value.equals("yes");
            } else if (key.equals("systemd.version") && !value.isEmpty()) {
                systemdVersion = value;
            } else if (key.startsWith("tool.") && value.startsWith("/")) {
                tools.put(key.substring(5), value);
            } else if (key.equals("java.version") && !value.isEmpty()) {
                java = value;
            } else if (key.equals("user.group") && GROUP.matcher(value).matches()) {
                group = value;
            }
        }
        return new HostFacts(systemd, Optional.ofNullable(systemdVersion), tools, Optional.ofNullable(java),
                Optional.ofNullable(group));
    }

    /** How a SysV init script is made to start at boot. */
    public enum SysvRegistration {
        /** RHEL and SUSE: {@code chkconfig --add gpfo}, from the script's chkconfig header. */
        CHKCONFIG,
        /** Debian and Ubuntu: {@code update-rc.d gpfo defaults}, from the LSB header. */
        UPDATE_RC_D,
        /** Neither: S99gpfo / K01gpfo links in /etc/rc[0-6].d, made by gpfo install itself. */
        RC_LINKS
    }
}
