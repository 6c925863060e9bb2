package io.gpfo.arbiter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * An etcd member's v3 gateway as far as gpfo uses it, in memory, on a loopback port: the leader key
 * with its lease, leases granted, kept alive and revoked, a user's token, and a stalled mode (a member
 * that waits for a quorum it does not have). Answers the way etcd 3.4 does: int64s as strings, zero
 * values left out.
 */
public final class FakeEtcd implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    public final Map<String, String> values = new HashMap<>();
    final Map<String, Long> keyLeases = new HashMap<>();
    final Map<Long, Long> leaseTtls = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    private long nextLease = 0x694d8f2a1b3c0001L;
    private long revision = 1;
    volatile boolean stalled;
    volatile String password;
    private final CountDownLatch released = new CountDownLatch(1);

    /** Runs after each range is answered, inside the member's lock: a test's way to change the key between calls. */
    public volatile Runnable afterRange = () -> { };

    public FakeEtcd() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        if (stalled) {
            try {
                released.await(); // until close(): the client's deadline must end the call
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        synchronized (this) {
            calls.add(path);
            if (password != null && !path.equals("/v3/auth/authenticate")
                    && !("token-" + password).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 401, JSON.createObjectNode().put("error", "etcdserver: invalid auth token").put("code", 16));
                return;
            }
            reply(exchange, 200, switch (path) {
                case "/v3/auth/authenticate" -> JSON.createObjectNode().put("token", "token-" + body.path("password").asText());
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

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
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
        server.stop(0);
    }
}
