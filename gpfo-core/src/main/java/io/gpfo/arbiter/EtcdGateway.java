package io.gpfo.arbiter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpfo.config.GpfoConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;

/**
 * {@link LeaderLease} through etcd's v3 HTTP/JSON gateway ({@code /v3/kv/range}, {@code /v3/kv/txn},
 * {@code /v3/lease/grant}, {@code /v3/lease/keepalive}), the way Patroni and Cloudberry's FTS talk to
 * etcd: the JDK's HTTP client and Jackson, no gRPC stack in the agent. Keys and values are base64,
 * 64-bit numbers JSON strings. A call goes to the member that answered last and, within its deadline,
 * on to the next when that one fails.
 */
public final class EtcdGateway implements LeaderLease {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> endpoints;
    private final String leaderKey;
    private final Optional<GpfoConfig.Credentials> credentials;
    private final HttpClient http;
    private final ExecutorService threads;
    private final LongSupplier nanoTime;
    private int preferred;
    private Optional<String> token = Optional.empty();

    /** @param callTimeout every call's deadline; connecting to one member may take a share of it, so a dead one leaves time for the next */
    public EtcdGateway(GpfoConfig.Arbiter arbiter, Duration callTimeout) {
        this(arbiter, callTimeout, System::nanoTime);
    }

    /** @param nanoTime the clock deadlines are kept by (a test's own, to spend a deadline without waiting for it) */
    EtcdGateway(GpfoConfig.Arbiter arbiter, Duration callTimeout, LongSupplier nanoTime) {
        this.endpoints = arbiter.endpoints();
        this.leaderKey = arbiter.leaderKey();
        this.credentials = arbiter.credentials();
        this.nanoTime = nanoTime;
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "gpfo-etcd");
            thread.setDaemon(true);
            return thread;
        });
        Duration connect = callTimeout.dividedBy(Math.max(1, endpoints.size()));
        HttpClient.Builder builder = HttpClient.newBuilder()
                // plain HTTP/1.1: an h2c upgrade confuses the port etcd shares between gRPC and the gateway
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connect.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : connect)
                .executor(threads);
        if (endpoints.get(0).getScheme().equals("https")) {
            builder.sslContext(EtcdTls.context(arbiter));
        }
        this.http = builder.build();
    }

    @Override
    public synchronized Reading read(Duration deadline) {
        Call call = call("/v3/kv/range", rangeOf(leaderKey), nanoTime.getAsLong() + deadline.toNanos());
        return call.answer.map(answer -> new Reading(Reach.ANSWERED, leaderIn(answer), ""))
                .orElseGet(() -> Reading.failed(call.reach, call.detail));
    }

    @Override
    public synchronized Renewal renew(long leaseId, Duration deadline) {
        ObjectNode body = JSON.createObjectNode().put("ID", Long.toString(leaseId));
        Call call = call("/v3/lease/keepalive", body, nanoTime.getAsLong() + deadline.toNanos());
        if (call.answer.isEmpty()) {
            return new Renewal(call.reach, OptionalLong.empty(), call.detail);
        }
        // the gateway streams keep-alive answers as {"result": {...}}; an expired lease has no TTL (or 0)
        JsonNode result = call.answer.get().has("result") ? call.answer.get().get("result") : call.answer.get();
        long ttl = number(result, "TTL");
        return new Renewal(Reach.ANSWERED, ttl > 0 ? OptionalLong.of(ttl) : OptionalLong.empty(),
                ttl > 0 ? "" : "lease " + Long.toHexString(leaseId) + " has expired");
    }

    @Override
    public synchronized Renewal timeToLive(long leaseId, Duration deadline) {
        Call call = call("/v3/lease/timetolive", JSON.createObjectNode().put("ID", Long.toString(leaseId)),
                nanoTime.getAsLong() + deadline.toNanos());
        if (call.answer.isEmpty()) {
            return new Renewal(call.reach, OptionalLong.empty(), call.detail);
        }
        long ttl = number(call.answer.get(), "TTL"); // -1 once expired
        return new Renewal(Reach.ANSWERED, ttl > 0 ? OptionalLong.of(ttl) : OptionalLong.empty(), ttl > 0 ? "" : "expired");
    }

    @Override
    public synchronized Claim claim(String host, Duration ttl, Duration deadline) {
        long until = nanoTime.getAsLong() + deadline.toNanos();
        Call grant = call("/v3/lease/grant", JSON.createObjectNode().put("TTL", Long.toString(ttl.toSeconds())), until);
        if (grant.answer.isEmpty()) {
            return Claim.failed(grant.reach, grant.detail);
        }
        long leaseId = number(grant.answer.get(), "ID");
        long granted = number(grant.answer.get(), "TTL");
        String key = base64(leaderKey);
        ObjectNode txn = JSON.createObjectNode();
        // create only if absent: the key's create revision is 0 only when no key exists (the old lease expired)
        txn.putArray("compare").addObject().put("key", key).put("target", "CREATE").put("result", "EQUAL")
                .put("create_revision", "0");
        txn.putArray("success").addObject().putObject("request_put").put("key", key).put("value", base64(host))
                .put("lease", Long.toString(leaseId));
        txn.putArray("failure").addObject().set("request_range", rangeOf(leaderKey));
        Call put = call("/v3/kv/txn", txn, until);
        if (put.answer.isEmpty()) {
            // it may have been applied without our hearing: the lease then keeps the key until it expires
            return Claim.failed(put.reach, put.detail);
        }
        JsonNode answer = put.answer.get();
        if (answer.path("succeeded").asBoolean(false)) {
            return new Claim(Reach.ANSWERED, true, Optional.of(new Leader(host, leaseId)), OptionalLong.of(granted), "");
        }
        // someone holds the key: our new lease is no use; let it go so it does not linger for a ttl
        call("/v3/lease/revoke", JSON.createObjectNode().put("ID", Long.toString(leaseId)), until);
        Optional<Leader> holder = leaderIn(answer.path("responses").path(0).path("response_range"));
        return new Claim(Reach.ANSWERED, false, holder, OptionalLong.empty(), "the leader key is held"
                + holder.map(leader -> " by " + leader.host()).orElse(""));
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    private ObjectNode rangeOf(String key) {
        return JSON.createObjectNode().put("key", base64(key));
    }

    private static Optional<Leader> leaderIn(JsonNode range) {
        JsonNode kvs = range.path("kvs");
        if (!kvs.isArray() || kvs.isEmpty()) {
            return Optional.empty();
        }
        JsonNode kv = kvs.get(0);
        String host = new String(Base64.getDecoder().decode(kv.path("value").asText("")), StandardCharsets.UTF_8);
        return Optional.of(new Leader(host, number(kv, "lease")));
    }

    /** int64 fields come as JSON strings; an absent one is 0 (the gateway leaves out zero values). */
    private static long number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.asText().isEmpty() ? 0 : Long.parseLong(value.asText());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** One call's outcome: the answer, or how far it got and why not. */
    private record Call(Optional<JsonNode> answer, Reach reach, String detail) {
    }

    /** Posts to the preferred member, then to the next ones while the deadline allows. */
    private Call call(String path, JsonNode body, long untilNanos) {
        Reach best = Reach.UNREACHABLE;
        StringBuilder why = new StringBuilder();
        for (int tried = 0; tried < endpoints.size(); tried++) {
            long left = untilNanos - nanoTime.getAsLong();
            if (left <= 0) {
                break;
            }
            URI endpoint = endpoints.get(preferred);
            Attempt attempt = post(endpoint, path, body, untilNanos);
            if (attempt.answer.isPresent()) {
                return new Call(attempt.answer, Reach.ANSWERED, "");
            }
            if (attempt.reach == Reach.NO_QUORUM) {
                best = Reach.NO_QUORUM;
            }
            why.append(why.length() == 0 ? "" : "; ").append(endpoint.getAuthority()).append(": ").append(attempt.detail);
            preferred = (preferred + 1) % endpoints.size();
        }
        return new Call(Optional.empty(), best, why.length() == 0 ? "no time left to ask etcd" : why.toString());
    }

    private record Attempt(Optional<JsonNode> answer, Reach reach, String detail) {
        static Attempt failed(Reach reach, String detail) {
            return new Attempt(Optional.empty(), reach, detail);
        }
    }

    /** One member asked, its login and a retry with a fresh token included, all before {@code untilNanos}. */
    private Attempt post(URI endpoint, String path, JsonNode body, long untilNanos) {
        Duration timeout = Duration.ofNanos(untilNanos - nanoTime.getAsLong());
        try {
            Optional<String> auth = authToken(endpoint, left(untilNanos));
            HttpResponse<String> response = send(endpoint, path, body, auth, left(untilNanos));
            if (response.statusCode() == 401 && credentials.isPresent()) {
                // a simple token expires, and lives only on the member that issued it: once more with a fresh one
                token = Optional.empty();
                response = send(endpoint, path, body, authToken(endpoint, left(untilNanos)), left(untilNanos));
            }
            if (response.statusCode() == 200) {
                return new Attempt(Optional.of(JSON.readTree(response.body())), Reach.ANSWERED, "");
            }
            String error = errorOf(response.body());
            // a member that answers but cannot reach its peers reports a timeout or no leader
            boolean noQuorum = response.statusCode() >= 500 || error.contains("no leader") || error.contains("timed out");
            return Attempt.failed(noQuorum ? Reach.NO_QUORUM : Reach.UNREACHABLE, "HTTP " + response.statusCode() + " " + error);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return Attempt.failed(Reach.UNREACHABLE, "cannot connect (" + describe(e) + ")");
        } catch (HttpTimeoutException e) {
            // connected, but no answer in time: a member that waits for a quorum it does not have
            return Attempt.failed(Reach.NO_QUORUM, "no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            Optional<SSLException> tls = tlsCause(e);
            return Attempt.failed(Reach.UNREACHABLE, tls.map(EtcdGateway::handshakeDetail).orElseGet(() -> describe(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.failed(Reach.UNREACHABLE, "interrupted");
        }
    }

    /** What is left of a call's deadline; past it, a request that would wait is not sent at all. */
    private Duration left(long untilNanos) throws HttpTimeoutException {
        long left = untilNanos - nanoTime.getAsLong();
        if (left <= 0) {
            throw new HttpTimeoutException("no time left");
        }
        return Duration.ofNanos(left);
    }

    private HttpResponse<String> send(URI endpoint, String path, JsonNode body, Optional<String> auth, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        auth.ifPresent(value -> request.header("Authorization", value));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** etcd's simple token for the configured user, fetched once and again when it expires. */
    private Optional<String> authToken(URI endpoint, Duration timeout) throws IOException, InterruptedException {
        if (credentials.isEmpty() || token.isPresent()) {
            return token;
        }
        ObjectNode body = JSON.createObjectNode().put("name", credentials.get().user())
                .put("password", credentials.get().password());
        HttpResponse<String> response = send(endpoint, "/v3/auth/authenticate", body, Optional.empty(), timeout);
        if (response.statusCode() != 200) {
            throw new IOException("authentication as " + credentials.get().user() + " refused: " + errorOf(response.body()));
        }
        token = Optional.of(JSON.readTree(response.body()).path("token").asText());
        return token;
    }

    /**
     * The message of an etcd error answer. etcd (3.4 on) answers HTTP 400 on its gateway to every request whose
     * client certificate has a Common Name while client-cert-auth and authentication are both on (a CN cannot
     * name the user through the gateway), the authentication itself included: say how to fix it.
     */
    static String errorOf(String body) {
        String message;
        try {
            JsonNode error = JSON.readTree(body);
            message = error.path("error").asText(error.path("message").asText(""));
        } catch (IOException e) {
            message = "";
        }
        message = message.isEmpty() ? body.strip() : message;
        if (message.contains("CommonName of client sending a request against gateway")) {
            return message + " (etcd refuses a client certificate with a Common Name on its HTTP gateway while"
                    + " authentication is on: issue cert_file without a CN, e.g. -subj /O=gpfo; user and password"
                    + " name the etcd user)";
        }
        return message;
    }

    /** The TLS failure under a failed call, if any: the JDK's client wraps it in an IOException or not. */
    private static Optional<SSLException> tlsCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException tls) {
                return Optional.of(tls);
            }
        }
        return Optional.empty();
    }

    /** A refused TLS handshake, said as which side refused whose certificate, and what to check. */
    static String handshakeDetail(SSLException e) {
        String message = describe(e);
        String hint;
        if (message.contains("fatal alert")) {
            // the member's alert: our certificate, missing or not signed by a CA it trusts (--trusted-ca-file)
            hint = "the member refused the client certificate: is cert_file signed by a CA in the member's"
                    + " --trusted-ca-file, and set at all (with --client-cert-auth a member asks for one)?";
        } else if (message.contains("PKIX") || message.contains("certification path")) {
            hint = "the member's certificate is not signed by ca_file (or, without ca_file, the Java trust store)";
        } else if (message.contains("subject alternative")) {
            hint = "the member's certificate does not name the host or address of its endpoint (its SAN)";
        } else {
            hint = "check ca_file, cert_file and key_file against the members' TLS flags";
        }
        return "TLS handshake failed: " + message + "; " + hint;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
