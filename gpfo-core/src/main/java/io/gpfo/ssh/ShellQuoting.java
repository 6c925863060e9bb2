package io.gpfo.ssh;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns an argv into the one string an SSH server hands to the remote user's shell. Every
 * argument that is not plainly safe is single-quoted, so spaces, {@code $}, quotes and
 * semicolons arrive as data, never as shell syntax.
 */
public final class ShellQuoting {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./=:@%+,-]+");

    private ShellQuoting() {
    }

    public static String quote(String argument) {
        if (SAFE.matcher(argument).matches()) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argv");
        }
        return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }
}
