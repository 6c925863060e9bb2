package io.gpfo.install;

import io.gpfo.port.Scripts;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The systemd unit and the SysV init script, rendered from the templates next to this class. */
public final class ServiceFiles {

    private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z_]+)@");
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}\\$?");

    private ServiceFiles() {
    }

    /** {@code gpfo.service}: the agent as {@code user:group} with CAP_NET_ADMIN and CAP_NET_RAW only (docs/design.md §11). */
    public static String unit(String user, String group) {
        return render("gpfo.service.in", Map.of(
                "USER", name(user),
                "GROUP", name(group),
                "GPFO", Layout.SERVICE_EXECUTABLE,
                "STOP_TIMEOUT", Layout.STOP_TIMEOUT_SECONDS + "s"));
    }

    /** {@code /etc/init.d/gpfo}: POSIX sh, LSB and chkconfig headers, start/stop/restart/status. */
    public static String initScript() {
        return render("gpfo.init.in", Map.of(
                "GPFO", Layout.SERVICE_EXECUTABLE,
                "SELF", Layout.INIT_SCRIPT,
                "PIDFILE", Layout.PID_FILE,
                "FALLBACK_LOG", Layout.FALLBACK_LOG,
                "STOP_TIMEOUT", Integer.toString(Layout.STOP_TIMEOUT_SECONDS)));
    }

    /** The template with every {@code @KEY@} replaced; a key without a value is a bug, not a blank. */
    static String render(String template, Map<String, String> values) {
        String text = Scripts.load(ServiceFiles.class, template);
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for @" + matcher.group(1) + "@ in " + template);
            }
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(rendered);
        return rendered.toString();
    }

    /** User and group names go into the unit as they are: only plain Unix names are accepted. */
    private static String name(String text) {
        if (!NAME.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a plain user or group name");
        }
        return text;
    }
}
