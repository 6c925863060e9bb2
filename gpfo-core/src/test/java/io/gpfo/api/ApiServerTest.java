package io.gpfo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpfo.node.NodeName;
import io.gpfo.testing.FakeClock;
import io.gpfo.testing.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiServerTest {

    @TempDir
    Path state;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeClock clock = new FakeClock(Snapshots.AT);
    private ApiServer server;
    private int port;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ApiServer start(String listen) throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        TestCluster cluster = TestCluster.onStandbyHost(state, Map.of("api", "{listen: " + listen + ", port: " + port + "}"));
        server = ApiServer.start(cluster.config, NodeName.STANDBY, clock, new PrintWriter(new StringWriter()));
        return server;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String path) throws Exception {
        return get(path).statusCode();
    }

    @Test
    void beforeTheFirstRoundNothingIsVouchedFor() throws Exception {
        start("127.0.0.1");

        assertThat(status("/primary")).isEqualTo(503);
        assertThat(status("/standby")).isEqualTo(503);
        assertThat(status("/health")).isEqualTo(503);
        assertThat(status("/status")).isEqualTo(503);
        assertThat(get("/metrics").body()).contains("gpfo_agent_info{cluster=\"gptest\",host=\"smdw\",node=\"standby\"} 1");
    }

    @Test
    void eachEndpointAnswersForTheLastRound() throws Exception {
        start("127.0.0.1");

        server.publish(Snapshots.standbyWatching(0));
        assertThat(status("/primary")).isEqualTo(503);
        assertThat(status("/standby")).isEqualTo(200);
        assertThat(status("/health")).isEqualTo(200);

        server.publish(Snapshots.promotedPrimary());
        HttpResponse<String> primary = get("/primary");
        assertThat(primary.statusCode()).isEqualTo(200);
        assertThat(primary.body()).isEqualTo("primary, phase promoted, timeline 2\n");
        assertThat(status("/standby")).isEqualTo(503);

        server.publish(Snapshots.steppedDown());
        assertThat(status("/primary")).isEqualTo(503);
        assertThat(status("/health")).isEqualTo(200);

        server.publish(Snapshots.databaseDown());
        assertThat(status("/primary")).isEqualTo(503);
        assertThat(status("/standby")).isEqualTo(503);
        assertThat(status("/health")).isEqualTo(503);

        server.publish(Snapshots.primaryServing(Optional.of(Snapshots.streamingStandby(2))));
        assertThat(status("/primary")).isEqualTo(200);
        assertThat(Exposition.parse(get("/metrics").body()).value("gpfo_rounds_total")).isEqualTo(5.0);
    }

    @Test
    void aRoundTooOldSpeaksForNothing() throws Exception {
        start("127.0.0.1");
        server.publish(Snapshots.promotedPrimary());
        assertThat(status("/primary")).isEqualTo(200);

        clock.advance(Duration.ofSeconds(11)); // ten rounds of 1 s, at least 10 s

        assertThat(status("/primary")).isEqualTo(503);
        assertThat(status("/health")).isEqualTo(503);
        assertThat(status("/status")).isEqualTo(200); // still the last view, with its time
    }

    @Test
    void statusIsTheStatusJsonOfThisHostsView() throws Exception {
        start("127.0.0.1");
        server.publish(Snapshots.standbyWatching(4096));

        JsonNode status = new ObjectMapper().readTree(get("/status").body());

        assertThat(status.at("/local_host").asText()).isEqualTo("smdw");
        assertThat(status.at("/nodes/0/host").asText()).isEqualTo("mdw");
        assertThat(status.at("/nodes/0/role").asText()).isEqualTo("primary");
        assertThat(status.at("/nodes/1/role").asText()).isEqualTo("standby");
        assertThat(status.at("/replication/state").asText()).isEqualTo("streaming");
        assertThat(status.at("/replication/lag_bytes").asLong()).isEqualTo(4096);
        assertThat(status.at("/agent/phase").asText()).isEqualTo("watching");
        assertThat(status.at("/observed_at").asText()).isEqualTo(Snapshots.AT.toString());
    }

    @Test
    void nothingChangesAnything() throws Exception {
        start("127.0.0.1");
        server.publish(Snapshots.promotedPrimary());

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/primary"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(status("/primary/x")).isEqualTo(404);
        assertThat(status("/")).isEqualTo(404);
    }

    @Test
    void aSlowClientBlocksNeitherAnotherRequestNorARound() throws Exception {
        start("127.0.0.1");
        try (Socket slow = new Socket("127.0.0.1", port)) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)); // and never the rest
            out.flush();

            // the agent's thread hands over a round without waiting, and another client is served
            server.publish(Snapshots.promotedPrimary());
            assertThat(status("/primary")).isEqualTo(200);

            // the server drops the unfinished request after its limit: the slow client reads end of stream
            slow.setSoTimeout((ApiServer.REQUEST_SECONDS + 10) * 1000);
            InputStream in = slow.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void bindsOnlyTheConfiguredAddress() throws Exception {
        start("127.0.0.1");

        assertThat(server.addresses()).containsExactly(new InetSocketAddress("127.0.0.1", port));
        // 127.0.0.2 is this host too (all of 127/8 is), yet nothing listens there
        assertThatThrownBy(() -> new Socket("127.0.0.2", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void ofTheListedAddressesBindsThoseOfThisHost() throws Exception {
        start("[192.0.2.10, 127.0.0.1]"); // 192.0.2.10 (TEST-NET-1) is the other host's

        assertThat(server.addresses()).containsExactly(new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void refusesToStartWithoutAnAddressOfThisHost() {
        assertThatThrownBy(() -> start("192.0.2.10")).isInstanceOf(ApiServer.StartFailure.class)
                .hasMessage("api.listen: none of [192.0.2.10] is an address of this host; list this host's address");
    }

    @Test
    void aPortInUseIsAOneLineError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            TestCluster cluster = TestCluster.onStandbyHost(state, Map.of("api", "{listen: 127.0.0.1, port: "
                    + taken.getLocalPort() + "}"));

            assertThatThrownBy(() -> ApiServer.start(cluster.config, NodeName.STANDBY, clock, new PrintWriter(new StringWriter())))
                    .isInstanceOf(ApiServer.StartFailure.class)
                    .hasMessageStartingWith("api: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .hasMessageContaining("change api.port")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void aBrokenMetricsUpdateIsLoggedAndTheRoundGoesOn() throws Exception {
        StringWriter log = new StringWriter();
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        TestCluster cluster = TestCluster.onStandbyHost(state, Map.of("api", "{listen: 127.0.0.1, port: " + port + "}"));
        server = ApiServer.start(cluster.config, NodeName.STANDBY, clock, new PrintWriter(log));

        // an action record without the event key the metrics expect is still only a metric
        server.record(new io.gpfo.history.EventRecord(Snapshots.AT, "smdw", io.gpfo.history.EventRecord.Kind.ALERT, null,
                null, "x", Optional.empty(), Optional.empty()));

        assertThat(log.toString()).contains("WARNING metrics not updated");
        server.publish(Snapshots.promotedPrimary());
        assertThat(status("/primary")).isEqualTo(200);
    }
}
