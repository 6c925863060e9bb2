package io.gpfo.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.gpfo.agent.Agent;
import io.gpfo.alert.LogLevelPrefix;
import io.gpfo.config.GpfoConfig;
import io.gpfo.config.Ipv4;
import io.gpfo.decision.Alert.Severity;
import io.gpfo.history.EventRecord;
import io.gpfo.node.NodeName;
import io.gpfo.port.Clock;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The agent's read-only HTTP endpoint ({@code api:} in gpfo.yaml): {@code /metrics},
 * {@code /primary}, {@code /standby}, {@code /health}, {@code /status}. The agent publishes a
 * snapshot after each round and never waits on this server; handlers read the last snapshot and
 * change nothing. Requests are served by a few threads of their own, and a request that is not
 * read or answered within {@link #REQUEST_SECONDS} is dropped, so a slow or hostile client costs
 * one of those threads for a few seconds, never a round.
 */
public final class ApiServer implements AutoCloseable {

    /** The JDK server's per-request read and write limits (its only timeouts, set per JVM). */
    static final int REQUEST_SECONDS = 5;
    private static final int THREADS = 4;
    private static final int QUEUED_REQUESTS = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<HttpServer> servers;
    private final ThreadPoolExecutor executor;
    private final AgentMetrics metrics;
    /** The client library's exposition: text or OpenMetrics as the scraper asks, gzip, name[] filters. */
    private final HttpHandler metricsHandler;
    private final GpfoConfig config;
    private final NodeName local;
    private final Clock clock;
    private final PrintWriter log;
    private final Duration staleAfter;
    private volatile Published last;

    /** A snapshot and when it was handed over. */
    private record Published(Agent.Snapshot snapshot, Instant at) {
    }

    /** The endpoint could not start (no configured address is this host's, or the port is taken). */
    public static final class StartFailure extends Exception {
        StartFailure(String message) {
            super(message);
        }
    }

    private ApiServer(List<HttpServer> servers, ThreadPoolExecutor executor, GpfoConfig config, NodeName local, Clock clock,
            PrintWriter log) {
        this.servers = servers;
        this.executor = executor;
        this.metrics = new AgentMetrics(config, local);
        this.metricsHandler = new MetricsHandler(metrics.registry());
        this.config = config;
        this.local = local;
        this.clock = clock;
        this.log = log;
        // a round that has not reported for this long says nothing about now: the role checks answer 503
        Duration tenRounds = config.heartbeat().interval().multipliedBy(10);
        this.staleAfter = tenRounds.compareTo(Duration.ofSeconds(10)) > 0 ? tenRounds : Duration.ofSeconds(10);
    }

    /**
     * Binds {@code api.listen}'s addresses that belong to this host (every address for 0.0.0.0)
     * and starts serving. Requires an {@code api} section.
     */
    public static ApiServer start(GpfoConfig config, NodeName local, Clock clock, PrintWriter log) throws StartFailure {
        GpfoConfig.Api api = config.api().orElseThrow();
        List<InetAddress> addresses = ownAddresses(api.listen());
        if (addresses.isEmpty()) {
            throw new StartFailure("api.listen: none of " + api.listen() + " is an address of this host; list this host's"
                    + " address");
        }
        boundRequestTimes();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), task -> {
                    Thread thread = new Thread(task, "gpfo-api");
                    thread.setDaemon(true);
                    return thread;
                });
        List<HttpServer> servers = new ArrayList<>();
        ApiServer server = new ApiServer(servers, executor, config, local, clock, log);
        try {
            for (InetAddress address : addresses) {
                InetSocketAddress socket = new InetSocketAddress(address, api.port());
                HttpServer http;
                try {
                    http = HttpServer.create(socket, 16);
                } catch (IOException e) {
                    throw new StartFailure("api: cannot listen on " + address.getHostAddress() + ":" + api.port() + ": "
                            + e.getMessage() + " (another gpfo agent running here? else change api.port)");
                }
                http.setExecutor(executor);
                http.createContext("/", server::route);
                servers.add(http);
            }
            servers.forEach(ApiServer::startDaemon);
            return server;
        } catch (StartFailure | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The addresses to bind: 0.0.0.0 as it is, else those of the listed addresses this host has. */
    static List<InetAddress> ownAddresses(List<Ipv4> listen) {
        List<InetAddress> own = new ArrayList<>();
        for (Ipv4 address : listen) {
            InetAddress inet = inet(address);
            if (address.equals(GpfoConfig.Api.EVERY_ADDRESS) || isLocal(inet)) {
                own.add(inet);
            }
        }
        return own;
    }

    private static boolean isLocal(InetAddress address) {
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static InetAddress inet(Ipv4 address) {
        try {
            return InetAddress.getByName(address.toString()); // a literal: no name lookup
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JDK server reads these once, when its first server is made; an operator's own -D wins. */
    private static void boundRequestTimes() {
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(REQUEST_SECONDS));
    }

    /** Started from a daemon thread, the server's dispatcher is a daemon too: it never holds the JVM up. */
    private static void startDaemon(HttpServer http) {
        Thread starter = new Thread(http::start, "gpfo-api-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The sockets actually bound (the port too, when the configuration asked for 0 in a test). */
    public List<InetSocketAddress> addresses() {
        return servers.stream().map(HttpServer::getAddress).toList();
    }

    /** After each round (the agent's thread): remember the snapshot and set the metrics. Never blocks on a request. */
    public void publish(Agent.Snapshot snapshot) {
        last = new Published(snapshot, clock.now());
        guarded(() -> metrics.record(snapshot));
    }

    /** Each event the agent records. */
    public void record(EventRecord event) {
        guarded(() -> metrics.record(event));
    }

    /** A bug in the metrics must cost a metric, never the round that reported it. */
    private void guarded(Runnable update) {
        try {
            update.run();
        } catch (RuntimeException e) {
            synchronized (log) {
                log.println(LogLevelPrefix.PROCESS.of(Severity.WARNING) + clock.now() + " WARNING metrics not updated: " + e);
                log.flush();
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "text/plain", "read-only: GET or HEAD\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/metrics" -> metricsHandler.handle(exchange);
                case "/primary" -> check(exchange, RoleChecks::primary);
                case "/standby" -> check(exchange, RoleChecks::standby);
                case "/health" -> check(exchange, RoleChecks::health);
                case "/status" -> status(exchange);
                default -> reply(exchange, 404, "text/plain", "not found; try /metrics, /primary, /standby, /health, /status\n");
            }
        }
    }

    private void check(HttpExchange exchange, Function<Agent.Snapshot, RoleChecks.Answer> rule) throws IOException {
        Published published = fresh();
        if (published == null) {
            reply(exchange, 503, "text/plain", "no recent round of the agent: nothing to vouch for\n");
            return;
        }
        RoleChecks.Answer answer = rule.apply(published.snapshot());
        reply(exchange, answer.ok() ? 200 : 503, "text/plain", answer.reason() + "\n");
    }

    private void status(HttpExchange exchange) throws IOException {
        Published published = last;
        if (published == null) {
            reply(exchange, 503, "text/plain", "the agent has not finished a round yet\n");
            return;
        }
        reply(exchange, 200, "application/json",
                JSON.writeValueAsString(HostStatus.json(config, local, published.snapshot())) + "\n");
    }

    /** The last snapshot, if recent enough to speak for now. */
    private Published fresh() {
        Published published = last;
        return published != null && !clock.now().isAfter(published.at().plus(staleAfter)) ? published : null;
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        servers.forEach(server -> server.stop(0));
        executor.shutdownNow();
    }
}
