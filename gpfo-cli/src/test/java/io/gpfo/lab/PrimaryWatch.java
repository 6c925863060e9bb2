package io.gpfo.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Watches, from the client, for the worst failure gpfo can cause: two coordinators serving at
 * once. One loop inside the client host asks mdw and smdw at the same instant (two psql in
 * parallel) whether they are primaries, about every 200 ms, and prints both answers; any sample
 * where both answer "not in recovery" is recorded. Asking one after the other could miss a short
 * window with two primaries.
 */
final class PrimaryWatch implements AutoCloseable {

    /**
     * Prints "MILLIS MDW SMDW" per sample, each answer t, f or - (no answer). The loop ends by itself
     * at SIGPIPE once the watch stops reading, or after an hour at the latest.
     */
    private static final String SAMPLER = """
            answers=$(mktemp -d)
            ask() { PGCONNECT_TIMEOUT=1 psql -X -h "$1" -U gpadmin -d postgres -Atc 'select pg_is_in_recovery()' \
                > "$answers/$1" 2>/dev/null || echo - > "$answers/$1"; }
            end=$(( $(date +%s) + 3600 ))
            while [ "$(date +%s)" -lt "$end" ]; do
              at=$(date +%s%3N)
              ask mdw & ask smdw & wait
              echo "$at $(head -c 1 "$answers/mdw") $(head -c 1 "$answers/smdw")" || break
              sleep 0.2
            done
            rm -rf "$answers"
            """;

    private final Process sampler;
    private final Thread reader;
    private final List<String> violations = new ArrayList<>();
    private int samples;
    private final Map<String, Instant> firstServed = new HashMap<>();
    private final Map<String, Instant> lastServed = new HashMap<>();

    PrimaryWatch() {
        try {
            sampler = new ProcessBuilder(Lab.REPO.resolve("scripts/lab").toString(), "exec", "client", "runuser", "-u", "gpadmin",
                    "--", "bash", "-c", SAMPLER).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader = new Thread(this::read, "primary-watch");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(sampler.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] sample = line.split(" ");
                synchronized (violations) {
                    samples++;
                    if (sample.length == 3) {
                        Instant at = Instant.ofEpochMilli(Long.parseLong(sample[0]));
                        for (int i = 1; i <= 2; i++) {
                            if (sample[i].equals("f")) {
                                String host = i == 1 ? "mdw" : "smdw";
                                firstServed.putIfAbsent(host, at);
                                lastServed.put(host, at);
                            }
                        }
                    }
                    if (sample.length == 3 && sample[1].equals("f") && sample[2].equals("f")) {
                        violations.add(Instant.ofEpochMilli(Long.parseLong(sample[0]))
                                + ": mdw and smdw both serve as primaries");
                    }
                }
            }
        } catch (IOException e) {
            // the sampler was stopped: the samples so far stand
        }
    }

    /** Stops watching; the moments two primaries served. Fails when too few samples were taken to tell. */
    List<String> violations() {
        close();
        synchronized (violations) {
            if (samples < 3) {
                throw new AssertionError("the primary watch took only " + samples + " samples");
            }
            return List.copyOf(violations);
        }
    }

    /** The first sample in which {@code host} answered as a primary; empty while it never did. */
    Optional<Instant> firstServed(String host) {
        synchronized (violations) {
            return Optional.ofNullable(firstServed.get(host));
        }
    }

    /** The last sample in which {@code host} answered as a primary; empty while it never did. */
    Optional<Instant> lastServed(String host) {
        synchronized (violations) {
            return Optional.ofNullable(lastServed.get(host));
        }
    }

    /** How many times both hosts were asked at once so far. */
    int samples() {
        synchronized (violations) {
            return samples;
        }
    }

    @Override
    public void close() {
        // scripts/lab exec becomes nsenter and then the sampler's shell: stop them and their psql children
        sampler.descendants().forEach(ProcessHandle::destroyForcibly);
        sampler.destroyForcibly();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
