package io.gpfo.arbiter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An etcd member's v3 gateway as far as gpfo uses it, in memory, on a loopback port: the leader key
 * with its lease, leases granted, kept alive and revoked, a user's token (valid on this member only), and a
 * stalled mode (a member that waits for a quorum it does not have). Answers the way etcd 3.4 does: int64s as
 * strings, zero values left out, the errors as measured on the lab's 3.4.23.
 */
public final class FakeEtcd implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "fake-etcd");
        thread.setDaemon(true);
        return thread;
    });
    public final Map<String, String> values = new HashMap<>();
    final Map<String, Long> keyLeases = new HashMap<>();
    final Map<Long, Long> leaseTtls = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    private long nextLease = 0x694d8f2a1b3c0001L;
    private long revision = 1;
    volatile boolean stalled;
    volatile String password;
    /** The tokens this member issued: etcd's simple tokens live in the memory of the member that issued them. */
    private final java.util.Set<String> tokens = new java.util.HashSet<>();
    /** As etcd 3.4 with client-cert-auth and authentication on, to a client certificate with a Common Name. */
    volatile boolean refusesCommonName;
    private final CountDownLatch released = new CountDownLatch(1);
    /** Connections accepted and not yet answered: a member that went away drops them, as a dead process would. */
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Runs after each range is answered, inside the member's lock: a test's way to change the key between calls. */
    public volatile Runnable afterRange = () -> { };
    /** Runs when a login is answered: a test's way to let time pass in it. */
    public volatile Runnable afterAuthenticate = () -> { };

    /**
     * A plain HTTP/1.1 loop on a server socket, one request per connection: not the JDK's HttpServer, whose
     * settings are read once per JVM (the api's tests set theirs, which a server started first would fix).
     */
    public FakeEtcd() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket connection = server.accept();
                    open.add(connection);
                    if (server.isClosed()) {
                        // accepted while close() ran (an accept ends only after the listening socket is gone)
                        connection.close();
                        return;
                    }
                    connections.execute(() -> serve(connection));
                } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                    return; // closed
                }
            }
        });
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void serve(Socket connection) {
        try (connection) {
            serveOne(connection);
        } catch (IOException e) {
            // closing a connection the client dropped: nothing to do
        } finally {
            open.remove(connection);
        }
    }

    private void serveOne(Socket connection) {
        try {
            BufferedInputStream in = new BufferedInputStream(connection.getInputStream());
            String path = readLine(in).split(" ")[1];
            Map<String, String> headers = new HashMap<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).strip());
            }
            JsonNode body = JSON.readTree(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))));
            if (stalled) {
                released.await(); // until close(): the client's deadline must end the call
                return;
            }
            Reply reply = handle(path, body, headers.get("authorization"));
            byte[] bytes = JSON.writeValueAsBytes(reply.body());
            OutputStream out = connection.getOutputStream();
            out.write(("HTTP/1.1 " + reply.status() + " X\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        } catch (IOException | RuntimeException e) {
            // a client that went away: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readLine(BufferedInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private record Reply(int status, JsonNode body) {
    }

    private Reply handle(String path, JsonNode body, String authorization) {
        synchronized (this) {
            calls.add(path);
            if (refusesCommonName) {
                return new Reply(400, JSON.createObjectNode().put("error",
                        "CommonName of client sending a request against gateway will be ignored and not used as expected"));
            }
            if (path.equals("/v3/auth/authenticate") && !body.path("password").asText().equals(password)) {
                return new Reply(400, JSON.createObjectNode().put("error",
                        "etcdserver: authentication failed, invalid user ID or password").put("code", 3));
            }
            if (password != null && !path.equals("/v3/auth/authenticate") && !tokens.contains(authorization)) {
                return new Reply(401, JSON.createObjectNode().put("error", "etcdserver: invalid auth token").put("code", 16));
            }
            return new Reply(200, switch (path) {
                case "/v3/auth/authenticate" -> {
                    String token = "token-" + server.getLocalPort() + "." + (tokens.size() + 1);
                    tokens.add(token);
                    afterAuthenticate.run();
                    yield JSON.createObjectNode().put("token", token);
                }
                case "/v3/kv/range" -> {
                    ObjectNode answer = range(decode(body.path("key").asText()));
                    afterRange.run();
                    yield answer;
                }
                case "/v3/lease/grant" -> grant(Long.parseLong(body.path("TTL").asText()));
                case "/v3/lease/keepalive" -> keepalive(Long.parseLong(body.path("ID").asText()));
                case "/v3/lease/timetolive" -> JSON.createObjectNode().put("ID", body.path("ID").asText()).put("TTL",
                        Long.toString(leaseTtls.getOrDefault(Long.parseLong(body.path("ID").asText()), -1L)));
                case "/v3/lease/revoke" -> revoke(Long.parseLong(body.path("ID").asText()));
                case "/v3/kv/txn" -> txn(body);
                default -> JSON.createObjectNode().put("error", "not found");
            });
        }
    }

    private ObjectNode range(String key) {
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("header").put("revision", Long.toString(revision));
        if (values.containsKey(key)) {
            ObjectNode kv = answer.putArray("kvs").addObject().put("key", encode(key)).put("value", encode(values.get(key)))
                    .put("create_revision", "5");
            if (keyLeases.containsKey(key)) {
                kv.put("lease", Long.toString(keyLeases.get(key)));
            }
            answer.put("count", "1");
        }
        return answer;
    }

    /** Another host's agent took the key under a lease of its own. */
    public synchronized void heldBy(String key, String host) {
        ObjectNode lease = grant(5);
        values.put(key, host);
        keyLeases.put(key, Long.parseLong(lease.get("ID").asText()));
    }

    private ObjectNode grant(long ttl) {
        long id = nextLease++;
        leaseTtls.put(id, ttl);
        return JSON.createObjectNode().put("ID", Long.toString(id)).put("TTL", Long.toString(ttl));
    }

    private ObjectNode keepalive(long id) {
        ObjectNode result = JSON.createObjectNode();
        result.putObject("result").put("ID", Long.toString(id));
        if (leaseTtls.containsKey(id)) {
            ((ObjectNode) result.get("result")).put("TTL", Long.toString(leaseTtls.get(id)));
        }
        return result;
    }

    private ObjectNode revoke(long id) {
        expire(id);
        return JSON.createObjectNode();
    }

    /** A lease runs out: its keys go with it, as in etcd. */
    public synchronized void expire(long id) {
        leaseTtls.remove(id);
        keyLeases.entrySet().removeIf(entry -> {
            if (entry.getValue() == id) {
                values.remove(entry.getKey());
                return true;
            }
            return false;
        });
    }

    private ObjectNode txn(JsonNode body) {
        JsonNode compare = body.path("compare").path(0);
        String key = decode(compare.path("key").asText());
        boolean absent = !values.containsKey(key);
        boolean holds = compare.path("target").asText().equals("CREATE") && compare.path("create_revision").asText().equals("0")
                && absent;
        ObjectNode answer = JSON.createObjectNode();
        if (holds) {
            JsonNode put = body.path("success").path(0).path("request_put");
            values.put(key, decode(put.path("value").asText()));
            keyLeases.put(key, Long.parseLong(put.path("lease").asText()));
            revision++;
            answer.put("succeeded", true);
            answer.putArray("responses").addObject().putObject("response_put");
        } else {
            answer.putArray("responses").addObject().set("response_range", range(key));
        }
        return answer;
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        released.countDown();
        try {
            server.close();
        } catch (IOException e) {
            // closing: nothing left to serve
        }
        connections.shutdownNow();
        for (Socket connection : open) {
            try {
                connection.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
