package io.gpfo.cli;

import io.gpfo.sql.JdbcCoordinatorSql;
import io.gpfo.ssh.SshjRemoteShell;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Set;

/** The process entry point; the only place that calls {@code System.exit}. */
public final class Main {

    private Main() {
    }

    /** Commands that talk to the hosts over SSH and SQL. */
    private static final Set<String> REMOTE_COMMANDS = Set.of("status", "promote", "vip", "check", "watch", "pause", "resume",
            "install", "uninstall");

    public static void main(String[] args) {
        if (Arrays.stream(args).anyMatch(REMOTE_COMMANDS::contains)) {
            warmUp();
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = Gpfo.commandLine(out, err, Services.real()).execute(args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * sshj's and pgjdbc's classes load and initialise on a second core while the first parses the
     * command line and the configuration: about a tenth of a second off 'gpfo status'.
     */
    private static void warmUp() {
        Thread loader = new Thread(() -> {
            SshjRemoteShell.loadLibrary();
            JdbcCoordinatorSql.loadLibrary();
        }, "gpfo-warm-up");
        loader.setDaemon(true);
        loader.start();
    }
}
