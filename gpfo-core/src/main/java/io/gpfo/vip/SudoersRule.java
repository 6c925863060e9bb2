package io.gpfo.vip;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code /etc/sudoers.d/gpfo} drop-in: lets the admin user run exactly the VIP commands of
 * {@link VipCommands} as root — the peer's agent needs them over SSH — and nothing else.
 */
public final class SudoersRule {

    private SudoersRule() {
    }

    public static String render(String user, VipCommands commands) {
        List<List<String>> allowed = List.of(commands.add(), commands.delete(), commands.announce(), commands.announceOnce(),
                commands.duplicateCheck());
        String list = allowed.stream().map(SudoersRule::command).collect(Collectors.joining(", \\\n    "));
        return "# gpfo: lets " + user + " move the VIP on this host (the peer's agent does it over SSH).\n"
                + "# Written by gpfo install; exactly these commands, nothing else. Check with: visudo -cf <file>\n"
                + "Defaults:" + user + " !requiretty\n"
                + user + " ALL=(root) NOPASSWD: " + list + "\n";
    }

    /** One command with sudoers' special characters in arguments escaped. */
    static String command(List<String> argv) {
        return argv.stream().map(SudoersRule::escape).collect(Collectors.joining(" "));
    }

    private static String escape(String argument) {
        StringBuilder escaped = new StringBuilder();
        for (char c : argument.toCharArray()) {
            if (c == ',' || c == ':' || c == '=' || c == '\\' || c == ' ') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
