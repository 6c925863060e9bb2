package io.gpfo.install;

import java.util.List;

/** Where gpfo lives on a coordinator host (docs/design.md §12). One place, so plans and tests agree. */
public final class Layout {

    public static final String OPT = "/opt/gpfo";
    /** {@code /opt/gpfo/current} links to the installed version's directory. */
    public static final String CURRENT = OPT + "/current";
    /**
     * What the service runs. Not {@code /usr/local/bin/gpfo}: every directory on this path is
     * root's and not group-writable, while /usr/local/bin is root:staff 2775 on some systems,
     * and a service root runs must not start through a link others can replace.
     */
    public static final String SERVICE_EXECUTABLE = CURRENT + "/bin/gpfo";
    /** The operators' command: a link to {@link #SERVICE_EXECUTABLE}. */
    public static final String COMMAND_LINK = "/usr/local/bin/gpfo";
    /** Bash completion and the man page, as links into the current distribution (they follow upgrades). */
    public static final String COMPLETION_DIRECTORY = "/etc/bash_completion.d";
    public static final String COMPLETION = COMPLETION_DIRECTORY + "/gpfo";
    public static final String COMPLETION_SOURCE = CURRENT + "/share/bash-completion/completions/gpfo";
    /**
     * Where man finds the pages on RHEL and Debian alike (both search /usr/local/share/man by
     * default); each page is a link to the distribution's copy, e.g. man1/gpfo-status.1.
     */
    public static final String MAN_ROOT = "/usr/local/share/man";
    public static final String MAN_SOURCE_ROOT = CURRENT + "/share/man";
    /** The sections gpfo ships pages in: commands (gpfo(1), gpfo-status(1), …) and gpfo.yaml(5). */
    public static final List<String> MAN_SECTIONS = List.of("man1", "man5");
    public static final String CONFIG_DIRECTORY = "/etc/gpfo";
    public static final String CONFIG = CONFIG_DIRECTORY + "/gpfo.yaml";
    public static final String SUDOERS = "/etc/sudoers.d/gpfo";
    public static final String UNIT_NAME = "gpfo.service";
    public static final String UNIT = "/etc/systemd/system/" + UNIT_NAME;
    public static final String INIT_SCRIPT = "/etc/init.d/gpfo";
    /**
     * The SysV pid file lives in a directory of its own (created by the init script at start,
     * /run being a tmpfs), not as /var/run/gpfo.pid: one directory can be given to each host of
     * a lab that shares /run, and it is removed whole on uninstall.
     */
    public static final String PID_DIRECTORY = "/var/run/gpfo";
    public static final String PID_FILE = PID_DIRECTORY + "/gpfo.pid";
    /** Where the SysV agent logs when the host has no syslog socket (/dev/log) to send to. */
    public static final String FALLBACK_LOG = "/var/log/gpfo.log";
    /**
     * How long a stop waits for the agent before SIGKILL. Generous on purpose: the agent stops
     * after its current round, and a round may be running gpactivatestandby, which must not be
     * cut off halfway.
     */
    public static final int STOP_TIMEOUT_SECONDS = 300;

    private Layout() {
    }

    public static String versionDirectory(String version) {
        return OPT + "/" + version;
    }
}
