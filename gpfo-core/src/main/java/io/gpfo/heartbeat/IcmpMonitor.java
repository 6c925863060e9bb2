package io.gpfo.heartbeat;

import io.gpfo.port.Resolver;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ICMP heartbeat path: one long-running {@code ping} per address, read line by line, instead
 * of a {@code ping -c 1} per round. Forking ping (and ip) every second was most of the idle
 * agent's CPU. An address answers a round when a reply came within the last heartbeat timeout
 * or comes within the next one, so a round still waits at most one timeout for ICMP.
 *
 * <p>ping runs with {@code -O}, so it writes a line every packet even while nobody answers:
 * if the agent is killed, that write hits a closed pipe and SIGPIPE ends ping too.
 */
final class IcmpMonitor implements AutoCloseable {

    private final Duration timeout;
    private final String pingInterval;
    private final Map<String, Pinger> pingers = new ConcurrentHashMap<>();

    /** Pings twice per heartbeat timeout (at least every 0.2 s, ping's floor for non-root users). */
    IcmpMonitor(Duration heartbeatInterval, Duration timeout) {
        this.timeout = timeout;
        long millis = Math.max(200, Math.min(heartbeatInterval.toMillis(), timeout.toMillis()) / 2);
        this.pingInterval = String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /** Whether {@code address} answered ICMP within the last heartbeat timeout, or answers within the next. */
    boolean answers(String address) throws InterruptedException {
        return pingers.computeIfAbsent(address, this::start).replies.await(timeout);
    }

    private Pinger start(String address) {
        Pinger pinger = new Pinger(address, pingInterval, new Replies());
        Thread thread = new Thread(pinger, "gpfo-ping " + address);
        thread.setDaemon(true);
        thread.start();
        return pinger;
    }

    @Override
    public void close() {
        pingers.values().forEach(Pinger::stop);
    }

    /** When the last echo reply from one address arrived, fed ping's output lines. */
    static final class Replies {

        private String replyMarker = "";
        private boolean replied;
        private long lastReplyNanos;

        /** The numeric address ping -n prints for a reply. */
        synchronized void expectFrom(String ip) {
            // "64 bytes from 10.77.0.11: icmp_seq=3 ttl=64 time=0.069 ms"; not "no answer yet for icmp_seq=4",
            // not "From 10.77.0.12 icmp_seq=5 Destination Host Unreachable"
            replyMarker = " bytes from " + ip + ":";
        }

        synchronized void line(String line) {
            if (!replyMarker.isEmpty() && line.contains(replyMarker)) {
                replied = true;
                lastReplyNanos = System.nanoTime();
                notifyAll();
            }
        }

        synchronized boolean await(Duration within) throws InterruptedException {
            long limit = within.toNanos();
            long deadline = System.nanoTime() + limit;
            while (!replied || System.nanoTime() - lastReplyNanos > limit) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Keeps one ping running (restarted when it ends) and feeds its lines to {@link Replies}. */
    private static final class Pinger implements Runnable {

        private static final Duration QUICK_EXIT = Duration.ofSeconds(5);

        private final String address;
        private final String pingInterval;
        private final Replies replies;
        private volatile boolean stopped;
        private volatile Process process;

        Pinger(String address, String pingInterval, Replies replies) {
            this.address = address;
            this.pingInterval = pingInterval;
            this.replies = replies;
        }

        @Override
        public void run() {
            int quickExits = 0;
            while (!stopped) {
                long started = System.nanoTime();
                try {
                    runOnce();
                } catch (IOException e) {
                    // cannot start ping, or its pipe broke: the address simply does not answer; try again below
                } catch (InterruptedException e) {
                    return;
                }
                // an unknown host or a missing ping ends at once: retry, but not in a tight loop
                quickExits = System.nanoTime() - started < QUICK_EXIT.toNanos() ? Math.min(quickExits + 1, 10) : 0;
                try {
                    Thread.sleep(1000L * Math.max(1, quickExits));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void runOnce() throws IOException, InterruptedException {
            // resolved again at every start, so a changed /etc/hosts entry is followed after ping restarts
            String ip = Resolver.ipv4(address).stream().findFirst()
                    .orElseThrow(() -> new UnknownHostException(address + " has no IPv4 address"));
            replies.expectFrom(ip);
            ProcessBuilder builder = new ProcessBuilder("ping", "-n", "-O", "-i", pingInterval, ip)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("LC_ALL", "C");
            Process started = builder.start();
            process = started;
            if (stopped) {
                started.destroy();
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    replies.line(line);
                }
            } finally {
                started.destroy();
                started.waitFor();
            }
        }

        void stop() {
            stopped = true;
            Process running = process;
            if (running != null) {
                running.destroy();
            }
        }
    }
}
