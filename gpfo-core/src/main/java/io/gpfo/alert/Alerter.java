package io.gpfo.alert;

import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Alert;
import io.gpfo.decision.Alert.Severity;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.Text;
import io.gpfo.ssh.RemoteShell;
import io.gpfo.ssh.SshException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Delivers alerts (docs/design.md §7): every event is one line on stdout (the journal under
 * systemd); warnings and worse also go to syslog ({@code logger -t gpfo -p user.LEVEL}, emerg for
 * promotion and split brain, as the scripts it replaces did) and to {@code wall} on both hosts
 * (the peer's over SSH); and the {@code alerts.command} hook runs with GPFO_EVENT, GPFO_SEVERITY,
 * GPFO_MESSAGE, GPFO_CLUSTER and GPFO_HOST (this host). Delivery runs on its own thread, in order,
 * so a slow hook never delays a heartbeat round; the peer's wall on another, so a dead peer never
 * delays the hook.
 */
public final class Alerter implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final GpfoConfig config;
    private final CommandRunner runner;
    private final PrintWriter log;
    private final String host;
    private final RemoteShell remote;
    private final String peerHost;
    private final LogLevelPrefix levels;
    private final Terminals terminals;
    /** Channels whose last delivery failed: a failure is logged once, not at every alert, until one works again. */
    private final java.util.Set<Channel> failing = java.util.EnumSet.noneOf(Channel.class);

    /** Where an alert goes beyond the log line. */
    enum Channel { SYSLOG, WALL, HOOK, PEER_WALL }

    /** One command that carries an alert on one channel. */
    record Delivery(Channel channel, Command command) {
    }
    private final ExecutorService delivery = singleThread("gpfo-alert");
    private final ExecutorService peerDelivery = singleThread("gpfo-alert-peer");

    public Alerter(GpfoConfig config, CommandRunner runner, PrintWriter log, String host, RemoteShell remote, String peerHost) {
        this(config, runner, log, host, remote, peerHost, LogLevelPrefix.PROCESS, new UtmpTerminals());
    }

    Alerter(GpfoConfig config, CommandRunner runner, PrintWriter log, String host, RemoteShell remote, String peerHost,
            LogLevelPrefix levels, Terminals terminals) {
        this.levels = levels;
        this.terminals = terminals;
        this.config = config;
        this.runner = runner;
        this.log = log;
        this.host = host;
        this.remote = remote;
        this.peerHost = peerHost;
    }

    private static ExecutorService singleThread(String name) {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The log line of an event: time, severity, event name, message (which may quote another host: {@link Text}). */
    public static String line(Instant at, Alert alert) {
        return Text.line(at + " " + alert.severity().label().toUpperCase(java.util.Locale.ROOT) + " " + alert.event().key() + ": "
                + alert.message());
    }

    public void send(Instant at, Alert alert) {
        synchronized (log) {
            log.println(levels.of(alert.severity()) + line(at, alert));
            log.flush();
        }
        List<Delivery> deliveries = deliveries(alert);
        if (!deliveries.isEmpty()) {
            delivery.submit(() -> deliveries.forEach(this::deliver));
        }
        peerWall(alert).ifPresent(argv -> peerDelivery.submit(() -> deliverToPeer(argv)));
    }

    /** The commands that carry an alert beyond the log on this host; pure, so it is unit-tested. */
    List<Delivery> deliveries(Alert alert) {
        List<Delivery> deliveries = new ArrayList<>();
        String text = text(alert);
        if (alert.severity() != Severity.INFO) {
            // Under systemd the log line itself, filed at the alert's priority, is the syslog entry:
            // journald forwards it to syslog and broadcasts emerg to every terminal. logger would say
            // it all twice (and broadcast emergencies twice).
            if (config.alerts().syslog() && levels == LogLevelPrefix.NONE) {
                deliveries.add(new Delivery(Channel.SYSLOG,
                        Command.of(TIMEOUT, "logger", "-t", "gpfo", "-p", "user." + syslogLevel(alert.severity()), "--", text)));
            }
            if (config.alerts().wall()) {
                deliveries.add(new Delivery(Channel.WALL, Command.of(TIMEOUT, "wall", text).withStdin("")));
            }
        }
        config.alerts().command().ifPresent(hook -> deliveries.add(new Delivery(Channel.HOOK, new Command(List.of("/bin/sh", "-c", hook),
                Map.of("GPFO_EVENT", alert.event().key(), "GPFO_SEVERITY", alert.severity().label(), "GPFO_MESSAGE", Text.line(alert.message()),
                        "GPFO_CLUSTER", config.cluster().name(), "GPFO_HOST", host), null, TIMEOUT))));
        return deliveries;
    }

    /** The peer's wall, run over SSH; pure, so it is unit-tested. */
    Optional<List<String>> peerWall(Alert alert) {
        return alert.severity() != Severity.INFO && config.alerts().wall() ? Optional.of(List.of("wall", text(alert)))
                : Optional.empty();
    }

    /** What wall and logger carry: every terminal and syslog see it, so no control characters ({@link Text}). */
    private String text(Alert alert) {
        return Text.line("gpfo " + config.cluster().name() + " on " + host + ": " + alert.message());
    }

    static String syslogLevel(Severity severity) {
        return switch (severity) {
            case INFO -> "info";
            case WARNING -> "warning";
            case CRITICAL -> "crit";
            case EMERGENCY -> "emerg";
        };
    }

    private void deliver(Delivery delivery) {
        Optional<String> unreachable = switch (delivery.channel()) {
            // wall exits 0 even when it wrote to no terminal: ask utmp who it could reach
            case WALL -> Terminals.nobodyReachable(terminals.loggedIn()).map(why -> "wall on " + host + " reaches nobody: " + why);
            case SYSLOG, HOOK, PEER_WALL -> Optional.empty();
        };
        if (unreachable.isPresent()) {
            deliveryFailed(delivery.channel(), unreachable.get());
            return;
        }
        CommandResult result = runner.run(delivery.command());
        if (result.ok()) {
            delivered(delivery.channel());
        } else {
            deliveryFailed(delivery.channel(), delivery.command().argv().get(0) + " failed: " + result.failureSummary());
        }
    }

    private void deliverToPeer(List<String> argv) {
        try {
            CommandResult result = remote.run(peerHost, argv, TIMEOUT);
            if (result.ok()) {
                delivered(Channel.PEER_WALL);
            } else {
                deliveryFailed(Channel.PEER_WALL, "wall on " + peerHost + " failed: " + result.failureSummary());
            }
        } catch (SshException e) {
            deliveryFailed(Channel.PEER_WALL, "wall on " + peerHost + " failed: " + e.getMessage());
        }
    }

    private void delivered(Channel channel) {
        synchronized (failing) {
            failing.remove(channel);
        }
    }

    /**
     * Logged once while the channel keeps failing; again after it worked in between. Remembered by this process
     * only: a restarted agent says it once more, which tells whoever restarted it that the channel still fails.
     */
    private void deliveryFailed(Channel channel, String what) {
        synchronized (failing) {
            if (!failing.add(channel)) {
                return;
            }
        }
        synchronized (log) {
            log.println(levels.of(Severity.WARNING) + Instant.now(Clock.systemUTC()) + " WARNING alert-delivery: "
                    + Text.line(what) + " (said once until it works again)");
            log.flush();
        }
    }

    /** Waits for the alerts already handed over, so a stopping agent does not lose its last words. */
    @Override
    public void close() {
        delivery.shutdown();
        peerDelivery.shutdown();
        try {
            delivery.awaitTermination(TIMEOUT.toSeconds() + 2, TimeUnit.SECONDS);
            peerDelivery.awaitTermination(TIMEOUT.toSeconds() + 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
