package io.gpfo.lab;

import static io.gpfo.lab.Agents.await;
import static io.gpfo.lab.Agents.awaitPromoted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpfo.port.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 with the real tools: Debian's Prometheus scraping both agents' {@code /metrics} every second,
 * and Debian's HAProxy running {@code etc/haproxy.cfg.example} (its server addresses the hosts' own,
 * never the VIP) on the client host ({@code scripts/lab prometheus-up}, {@code haproxy-up}). One host
 * loss of mdw; Prometheus must see the role flip and the promotion, and the client must be served
 * through HAProxy by smdw itself.
 */
@Tag("lab")
class ObservabilityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_PORT = "9188";
    private static final String MDW = Lab.address("mdw") + ":" + API_PORT;
    private static final String SMDW = Lab.address("smdw") + ":" + API_PORT;
    /** HAProxy's listen port on the client host (bind :5432 in the example). */
    private static final String HAPROXY = Lab.address("client");

    private static PrimaryWatch watch;

    /** The lab's down ends everything the test started in it: agents, Prometheus, HAProxy, the primary watch's loop. */
    @AfterAll
    static void down() {
        if (watch != null) {
            watch.close();
        }
        Lab.lab(Duration.ofMinutes(2), "down");
    }

    @Test
    void aHostLossIsSeenByPrometheusAndHaproxyThenServesTheClientFromSmdwWithoutTheVip() {
        watch = Agents.startPair("7", "");
        Lab.labOk(Duration.ofSeconds(30), "prometheus-up", "1");
        Lab.labOk(Duration.ofSeconds(30), "haproxy-up");

        // before: both targets up, mdw primary, smdw standby, no promotion
        await(() -> value("up", MDW).equals(Optional.of(1.0)) && value("up", SMDW).equals(Optional.of(1.0)),
                Duration.ofSeconds(15), "Prometheus to scrape both agents");
        await(() -> value("gpfo_role{role=\"primary\"}", MDW).equals(Optional.of(1.0))
                && value("gpfo_role{role=\"standby\"}", SMDW).equals(Optional.of(1.0)), Duration.ofSeconds(15),
                "Prometheus to see mdw primary and smdw standby");
        assertThat(value("gpfo_promotions_total{result=\"ok\"}", SMDW)).contains(0.0);
        // the client writes through HAProxy, to mdw's own address
        await(() -> writeThroughHaproxy("before").equals(Lab.address("mdw")), Duration.ofSeconds(15),
                "HAProxy to send the client to mdw (its /primary answers 200)");

        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");
        awaitPromoted("smdw", 1, Duration.ofSeconds(30));

        // HAProxy: served again, by smdw's own address (through the VIP the server address would be the VIP)
        await(() -> writeThroughHaproxy("after").equals(Lab.address("smdw")), Duration.ofSeconds(20),
                "the client to be served through HAProxy by smdw");
        assertThat(Lab.sql("client", HAPROXY, "select count(*) from gpfo_lab where note = 'through haproxy: before'")
                .stdout().strip()).as("the write made through HAProxy before the loss").isNotEqualTo("0");
        // Prometheus: smdw primary, one promotion, mdw's target down
        await(() -> value("gpfo_role{role=\"primary\"}", SMDW).equals(Optional.of(1.0))
                && value("gpfo_promotions_total{result=\"ok\"}", SMDW).equals(Optional.of(1.0))
                && value("up", MDW).equals(Optional.of(0.0)), Duration.ofSeconds(15),
                "Prometheus to see smdw primary, its promotions counter at 1 and mdw's target down");
        assertThat(value("gpfo_role{role=\"standby\"}", SMDW)).contains(0.0);

        assertThat(watch.violations()).as("two primaries served at once (%d samples of both)", watch.samples()).isEmpty();
    }

    /** One insert through HAProxy from the client; the server address that served it, or "" when it failed. */
    private static String writeThroughHaproxy(String note) {
        CommandResult result = Lab.asGpadmin("client", "env", "PGCONNECT_TIMEOUT=2", "psql", "-X", "-h", HAPROXY, "-U",
                "gpadmin", "-d", "postgres", "-Atc", "insert into gpfo_lab values (1, 'through haproxy: " + note
                        + "') returning host(inet_server_addr())");
        return result.ok() ? result.stdout().lines().findFirst().orElse("").strip() : "";
    }

    /** The value Prometheus's query API gives for {@code expression} on one target (instance), if it has one. */
    private static Optional<Double> value(String expression, String instance) {
        CommandResult result = Lab.lab(Duration.ofSeconds(30), "prometheus-query", expression);
        assertThat(result.exitCode()).as("prometheus-query %s: %s", expression, result.stderr()).isZero();
        try {
            JsonNode answer = JSON.readTree(result.stdout());
            assertThat(answer.path("status").asText()).as("query %s: %s", expression, result.stdout()).isEqualTo("success");
            for (JsonNode series : answer.path("data").path("result")) {
                if (series.path("metric").path("instance").asText().equals(instance)) {
                    return Optional.of(Double.parseDouble(series.path("value").path(1).asText()));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
