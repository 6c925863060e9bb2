package io.gpfo.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UtmpTerminalsTest {

    /** One struct utmp record as glibc writes it on x86_64. */
    private static byte[] record(short type, String line, String user) {
        ByteBuffer buffer = ByteBuffer.allocate(UtmpTerminals.RECORD).order(ByteOrder.nativeOrder());
        buffer.putShort(0, type);
        buffer.putInt(4, 4242);
        buffer.put(8, line.getBytes(StandardCharsets.UTF_8));
        buffer.put(44, user.getBytes(StandardCharsets.UTF_8));
        return buffer.array();
    }

    private static byte[] utmp(byte[]... records) {
        ByteBuffer all = ByteBuffer.allocate(records.length * UtmpTerminals.RECORD);
        for (byte[] record : records) {
            all.put(record);
        }
        return all.array();
    }

    @Test
    void onlyLoginSessionsCountEachWithWhetherItsTerminalTakesOurMessages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("utmp");
        Files.write(file, utmp(record((short) 2, "~", "reboot"), record(UtmpTerminals.USER_PROCESS, "pts/0", "ops"),
                record((short) 8, "pts/1", ""), record(UtmpTerminals.USER_PROCESS, "tty1", "dba")));

        List<Terminals.Terminal> terminals = new UtmpTerminals(file, path -> path.toString().equals("/dev/pts/0")).loggedIn();

        assertThat(terminals).containsExactly(new Terminals.Terminal("pts/0", "ops", true), new Terminals.Terminal("tty1", "dba", false));
    }

    @Test
    void noUtmpOrATruncatedRecordIsNobodyLoggedIn(@TempDir Path dir) throws Exception {
        assertThat(new UtmpTerminals(dir.resolve("missing"), path -> true).loggedIn()).isEmpty();
        byte[] cut = java.util.Arrays.copyOf(record(UtmpTerminals.USER_PROCESS, "pts/0", "ops"), 100);
        assertThat(UtmpTerminals.parse(cut)).isEmpty();
        assertThat(UtmpTerminals.parse(record(UtmpTerminals.USER_PROCESS, "../etc/passwd", "x"))).isEmpty();
    }
}
