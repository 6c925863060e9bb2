package io.gpfo.alert;

import io.gpfo.decision.Alert.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a log line states its severity. Under systemd the agent's stdout is the journal, which files
 * every line as info unless it starts with an sd-daemon(3) prefix ({@code <4>} for warning): so a
 * warning shows as a warning in {@code journalctl -p warning} and in {@code systemctl status}.
 * Anywhere else (a terminal, the SysV log file) lines carry no prefix.
 */
public enum LogLevelPrefix {
    /** stdout is not the journal. */
    NONE,
    /** stdout is the journal stream systemd gave this process. */
    SD_DAEMON;

    private static final Pattern JOURNAL_STREAM = Pattern.compile("\\d+:(\\d+)");
    private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");

    /** This process's, detected once. */
    public static final LogLevelPrefix PROCESS = detect(System.getenv(), stdoutTarget());

    /** What a line of this severity starts with. */
    public String of(Severity severity) {
        return switch (this) {
            case NONE -> "";
            case SD_DAEMON -> "<" + syslogPriority(severity) + ">";
        };
    }

    /** syslog(3) priority numbers, as journald reads them from a prefix. */
    static int syslogPriority(Severity severity) {
        return switch (severity) {
            case INFO -> 6;
            case WARNING -> 4;
            case CRITICAL -> 2;
            case EMERGENCY -> 0;
        };
    }

    /**
     * systemd.exec(5): JOURNAL_STREAM is "device:inode" of the journal socket on stdout. It is
     * inherited by children whose stdout goes elsewhere, so the inode must be stdout's own.
     */
    static LogLevelPrefix detect(Map<String, String> environment, Optional<String> stdoutTarget) {
        Matcher stream = JOURNAL_STREAM.matcher(environment.getOrDefault("JOURNAL_STREAM", ""));
        Matcher socket = SOCKET.matcher(stdoutTarget.orElse(""));
        return stream.matches() && socket.matches() && stream.group(1).equals(socket.group(1)) ? SD_DAEMON : NONE;
    }

    private static Optional<String> stdoutTarget() {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
