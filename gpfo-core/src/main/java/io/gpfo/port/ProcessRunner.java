package io.gpfo.port;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link CommandRunner}: starts the program directly (no shell), drains stdout and
 * stderr on their own threads so a chatty program never blocks on a full pipe, and at the
 * timeout kills the whole process tree (descendants first), so a hung ssh under a wrapper
 * script does not outlive us.
 */
public final class ProcessRunner implements CommandRunner {

    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    /** Pipe pumps block on I/O, so they get their own daemon threads, not the common pool. */
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "gpfo-pipe");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public CommandResult run(Command command) {
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        builder.environment().putAll(command.environment());
        if (command.stdin() == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new CommandResult(-1, "", "cannot run " + command.argv().get(0) + ": " + e.getMessage(),
                    false, elapsedSince(started));
        }
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        if (command.stdin() != null) {
            writeStdin(process, command.stdin());
        }
        boolean timedOut = false;
        try {
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                killTree(process);
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            timedOut = true;
        }
        int exit = timedOut ? -1 : process.exitValue();
        return new CommandResult(exit, join(stdout), join(stderr), timedOut, elapsedSince(started));
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeStdin(Process process, String input) {
        CompletableFuture.runAsync(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the program exited without reading its input: its exit status tells the story
            }
        }, PUMPS);
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                return buffer.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, PUMPS);
    }

    private static String join(CompletableFuture<String> output) {
        try {
            // grandchildren that kept the pipe open are killed with the tree; don't wait forever
            return output.get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return "";
        }
    }

    private static Duration elapsedSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
