package io.gpfo.alert;

import io.gpfo.config.GpfoConfig;
import io.gpfo.decision.Alert;
import io.gpfo.decision.Alert.Severity;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner;
import io.gpfo.port.CommandRunner.Command;
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
 * GPFO_MESSAGE, GPFO_CLUSTER. Delivery runs on its own thread, in order, so a slow hook never
 * delays a heartbeat round; the peer's wall on another, so a dead peer never delays the hook.
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
    private final ExecutorService delivery = singleThread("gpfo-alert");
    private final ExecutorService peerDelivery = singleThread("gpfo-alert-peer");

    public Alerter(GpfoConfig config, CommandRunner runner, PrintWriter log, String host, RemoteShell remote, String peerHost) {
        this(config, runner, log, host, remote, peerHost, LogLevelPrefix.PROCESS);
    }

    Alerter(GpfoConfig config, CommandRunner runner, PrintWriter log, String host, RemoteShell remote, String peerHost,
            LogLevelPrefix levels) {
        this.levels = levels;
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

    /** The log line of an event: time, severity, event name, message. */
    public static String line(Instant at, Alert alert) {
        return at + " " + alert.severity().label().toUpperCase(java.util.Locale.ROOT) + " " + alert.event().key() + ": " + alert.message();
    }

    public void send(Instant at, Alert alert) {
        synchronized (log) {
            log.println(levels.of(alert.severity()) + line(at, alert));
            log.flush();
        }
        List<Command> commands = commands(alert);
        if (!commands.isEmpty()) {
            delivery.submit(() -> commands.forEach(this::deliver));
        }
        peerWall(alert).ifPresent(argv -> peerDelivery.submit(() -> deliverToPeer(argv)));
    }

    /** The commands that carry an alert beyond the log on this host; pure, so it is unit-tested. */
    List<Command> commands(Alert alert) {
        List<Command> commands = new ArrayList<>();
        String text = text(alert);
        if (alert.severity() != Severity.INFO) {
            if (config.alerts().syslog()) {
                commands.add(Command.of(TIMEOUT, "logger", "-t", "gpfo", "-p", "user." + syslogLevel(alert.severity()), "--", text));
            }
            if (config.alerts().wall()) {
                commands.add(Command.of(TIMEOUT, "wall", text).withStdin(""));
            }
        }
        config.alerts().command().ifPresent(hook -> commands.add(new Command(List.of("/bin/sh", "-c", hook),
                Map.of("GPFO_EVENT", alert.event().key(), "GPFO_SEVERITY", alert.severity().label(), "GPFO_MESSAGE", alert.message(),
                        "GPFO_CLUSTER", config.cluster().name(), "GPFO_HOST", host), null, TIMEOUT)));
        return commands;
    }

    /** The peer's wall, run over SSH; pure, so it is unit-tested. */
    Optional<List<String>> peerWall(Alert alert) {
        return alert.severity() != Severity.INFO && config.alerts().wall() ? Optional.of(List.of("wall", text(alert)))
                : Optional.empty();
    }

    private String text(Alert alert) {
        return "gpfo " + config.cluster().name() + " on " + host + ": " + alert.message();
    }

    static String syslogLevel(Severity severity) {
        return switch (severity) {
            case INFO -> "info";
            case WARNING -> "warning";
            case CRITICAL -> "crit";
            case EMERGENCY -> "emerg";
        };
    }

    private void deliver(Command command) {
        CommandResult result = runner.run(command);
        if (!result.ok()) {
            deliveryFailed(command.argv().get(0) + " failed: " + result.failureSummary());
        }
    }

    private void deliverToPeer(List<String> argv) {
        try {
            CommandResult result = remote.run(peerHost, argv, TIMEOUT);
            if (!result.ok()) {
                deliveryFailed("wall on " + peerHost + " failed: " + result.failureSummary());
            }
        } catch (SshException e) {
            deliveryFailed("wall on " + peerHost + " failed: " + e.getMessage());
        }
    }

    private void deliveryFailed(String what) {
        synchronized (log) {
            log.println(levels.of(Severity.WARNING) + Instant.now(Clock.systemUTC()) + " WARNING alert-delivery: " + what);
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
