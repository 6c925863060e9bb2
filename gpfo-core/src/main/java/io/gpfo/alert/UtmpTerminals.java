package io.gpfo.alert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The login sessions in {@code /run/utmp} (glibc's struct utmp on 64-bit Linux, 384 bytes a record),
 * each with whether this process may write to its terminal, which is what {@code wall} needs.
 */
public final class UtmpTerminals implements Terminals {

    static final int RECORD = 384;
    static final short USER_PROCESS = 7;
    private static final int LINE_OFFSET = 8;
    private static final int LINE_LENGTH = 32;
    private static final int USER_OFFSET = 44;
    private static final int USER_LENGTH = 32;

    private final Path utmp;
    private final Predicate<Path> writable;

    public UtmpTerminals() {
        this(Path.of("/run/utmp"), Files::isWritable);
    }

    UtmpTerminals(Path utmp, Predicate<Path> writable) {
        this.utmp = utmp;
        this.writable = writable;
    }

    @Override
    public List<Terminal> loggedIn() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(utmp);
        } catch (IOException e) {
            return List.of(); // no utmp: nobody is known to be logged in
        }
        return parse(bytes).stream()
                .map(session -> new Terminal(session.line(), session.user(), writable.test(Path.of("/dev").resolve(session.line()))))
                .toList();
    }

    /** A USER_PROCESS record: terminal line and user. */
    record Session(String line, String user) {
    }

    static List<Session> parse(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        List<Session> sessions = new ArrayList<>();
        for (int at = 0; at + RECORD <= bytes.length; at += RECORD) {
            if (buffer.getShort(at) != USER_PROCESS) {
                continue;
            }
            String line = text(bytes, at + LINE_OFFSET, LINE_LENGTH);
            // a line with a slash other than pts/N would leave /dev: not a terminal of ours
            if (!line.isEmpty() && !line.contains("..")) {
                sessions.add(new Session(line, text(bytes, at + USER_OFFSET, USER_LENGTH)));
            }
        }
        return sessions;
    }

    private static String text(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }
}
