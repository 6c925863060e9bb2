package io.gpfo.ssh;

import io.gpfo.port.CommandResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;

/** Running one command on an SSH session and naming an SSH failure: shared by the shell and the session. */
final class SshStreams {

    /** Pipe pumps block on I/O, so they get their own daemon threads, not the common pool. */
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "gpfo-ssh-pipe");
        thread.setDaemon(true);
        return thread;
    });

    private SshStreams() {
    }

    /**
     * Runs a command line on an open session within the timeout. Exit status -1 means none came (the
     * timeout, or the remote side died): the connection may be unusable after that.
     *
     * @param started when the caller started (System.nanoTime), so the elapsed time includes connecting
     * @throws IOException when the command could not be started
     */
    static CommandResult exec(Session session, String commandLine, String host, Duration timeout, long started)
            throws IOException {
        return exec(session, commandLine, host, timeout, started, null);
    }

    /**
     * {@link #exec(Session, String, String, Duration, long)} with {@code input} written to the command's
     * standard input, then end of file; null leaves standard input open and empty.
     */
    static CommandResult exec(Session session, String commandLine, String host, Duration timeout, long started,
            InputStream input) throws IOException {
        try {
            Session.Command command = session.exec(commandLine);
            CompletableFuture<String> stdout = drain(command.getInputStream());
            CompletableFuture<String> stderr = drain(command.getErrorStream());
            if (input != null) {
                try (OutputStream stdin = command.getOutputStream()) {
                    input.transferTo(stdin);
                }
            }
            command.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Integer exit = command.getExitStatus();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (exit == null) {
                return new CommandResult(-1, output(stdout), output(stderr), elapsed.compareTo(timeout) >= 0, elapsed);
            }
            return new CommandResult(exit, output(stdout), output(stderr), false, elapsed);
        } catch (ConnectionException e) {
            // the command ran into the timeout
            return new CommandResult(-1, "", "timed out on " + host + ": " + e.getMessage(), true,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try {
                stream.transferTo(buffer);
            } catch (IOException ignored) {
                // the channel closed under us (timeout): keep what arrived
            }
            return buffer.toString(StandardCharsets.UTF_8);
        }, PUMPS);
    }

    private static String output(CompletableFuture<String> stream) {
        try {
            return stream.get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "";
        }
    }

    /** The innermost cause's message: "Connection refused", not three layers of wrapping. */
    static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage();
        return text == null ? root.getClass().getSimpleName() : text;
    }
}
