package io.gpfo.port;

/**
 * Text from elsewhere made safe to show: a peer's command output, its files and event log, an etcd
 * or witness answer, a SQL error, gpadmin's files. gpfo runs as root, and what it prints reaches
 * root's terminal, every terminal ({@code wall}), syslog and {@code gpfo history}: a control
 * character there is an instruction to the terminal, not text. ESC and the C1 CSI (U+009B) start
 * sequences that retitle windows, clear screens or, on some terminals, echo text back as input; CR
 * and BS overwrite what was shown; NUL, BEL and DEL are noise. The bidi overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) are printable but reorder what follows, so a line can show
 * something other than what it says ("Trojan Source"). Applied where text leaves the program, once.
 */
public final class Text {

    /** What a control character shows as: visibly something was there, and it did nothing. */
    static final char REPLACEMENT = '?';

    private Text() {
    }

    /** Keeps lines and tabs; replaces every other control character and drops bidi overrides. */
    public static String printable(String text) {
        return clean(text, false);
    }

    /** For one line (a log line, a wall message, an argument): a line break becomes a space, so text cannot forge a line. */
    public static String line(String text) {
        return clean(text, true);
    }

    private static String clean(String text, boolean oneLine) {
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                clean.append(oneLine ? ' ' : c);
            } else if (c == '\t') {
                clean.append(c);
            } else if (isControl(c)) {
                clean.append(REPLACEMENT);
            } else if (!isBidiOverride(c)) {
                clean.append(c);
            }
        }
        return clean.toString();
    }

    /** C0 (below space), DEL, and C1 (U+0080–U+009F). */
    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    private static boolean isBidiOverride(char c) {
        return (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
