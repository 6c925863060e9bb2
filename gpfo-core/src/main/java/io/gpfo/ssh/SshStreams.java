package io.gpfo.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Reading a remote command's output and naming an SSH failure: shared by the shell and the session. */
final class SshStreams {

    /** Pipe pumps block on I/O, so they get their own daemon threads, not the common pool. */
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "gpfo-ssh-pipe");
        thread.setDaemon(true);
        return thread;
    });

    private SshStreams() {
    }

    static CompletableFuture<String> drain(InputStream stream) {
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

    static String output(CompletableFuture<String> stream) {
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
