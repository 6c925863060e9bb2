package io.gpfo.lab;

import static io.gpfo.history.EventRecord.Kind.ACTION;
import static io.gpfo.history.EventRecord.Kind.ALERT;
import static io.gpfo.lab.Agents.await;
import static io.gpfo.lab.Agents.awaitEvent;
import static io.gpfo.lab.Agents.awaitPromoted;
import static io.gpfo.lab.Agents.count;
import static io.gpfo.lab.Agents.firstAt;
import static io.gpfo.lab.Agents.inRecovery;
import static io.gpfo.lab.Agents.message;
import static io.gpfo.lab.Agents.quietFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.history.EventRecord;
import io.gpfo.port.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The etcd arbiter (issue 15) against real etcd members with TLS and authentication: {@code lab etcd-up --tls}
 * runs sdw1..3 with https client URLs, client-certificate auth and etcd users; the agents on mdw and smdw reach
 * them with the lab CA, a client certificate and the user gpfo's password. One lab for the class: the bad
 * inputs first (the pair healthy, nothing may happen), the host loss last. Every test asserts from the client
 * that two primaries never served at once.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArbiterTlsIT extends PairLabTest {

    private static final Duration TTL = Duration.ofSeconds(5);
    private static final String KEY = "/gpfo/lab/leader";
    private static final Map<String, String> ENV = Lab.env();
    private static final String CLIENT_DIR = ENV.get("LAB_ETCD_CLIENT_DIR");
    private static final Path TLS_DIR = Path.of(ENV.get("LAB_ETCD_TLS_DIR"));

    @BeforeAll
    static void labWithTlsEtcd() {
        Lab.lab(Duration.ofMinutes(2), "down");
        Lab.labOk(Duration.ofMinutes(5), "up", "--gp", "7");
        Lab.labOk(Duration.ofMinutes(1), "etcd-up", "--tls");
        System.out.println("ArbiterTlsIT etcd: " + Lab.exec("sdw1", "etcd", "--version").stdout().lines().findFirst().orElse("?"));
    }

    /** The arbiter section: https endpoints by host name (the members' certificates name both), the lab CA, a client certificate. */
    private static String arbiter(String certificate, String password) {
        return """
                alerts:
                  repeat: 4s
                arbiter:
                  endpoints: [https://sdw1:2379, https://sdw2:2379, https://sdw3:2379]
                  ca_file: %1$s/ca.crt
                  cert_file: %1$s/%2$s.crt
                  key_file: %1$s/%2$s.key
                  user: %3$s
                  password: "%4$s"
                  ttl: %5$ds
                """.formatted(CLIENT_DIR, certificate, ENV.get("LAB_ETCD_USER"), password, TTL.toSeconds());
    }

    /**
     * Both agents started with this arbiter section, each host's event log emptied first: the tests share one lab,
     * and what the last test's agents raised must not count for this one.
     */
    private void pairWith(String arbiterSection) {
        for (String host : List.of("mdw", "smdw")) {
            CommandResult emptied = Lab.exec(host, "rm", "-f", "/var/lib/gpfo/events.jsonl", "/var/lib/gpfo/events.jsonl.1");
            assertThat(emptied.ok()).as(emptied.stderr()).isTrue();
        }
        watch = Agents.startAgents(arbiterSection);
    }

    private static String password() {
        try {
            return Files.readString(Path.of(ENV.get("LAB_ETCD_PASSWORD_FILE"))).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host the leader key names, read with etcdctl over TLS as etcd's root (its certificate's CN); empty when absent. */
    private static Optional<String> leader() {
        CommandResult result = Lab.exec("sdw1", "env", "ETCDCTL_API=3", "etcdctl", "--endpoints",
                "https://sdw1:2379,https://sdw2:2379,https://sdw3:2379", "--cacert", TLS_DIR.resolve("ca.crt").toString(),
                "--cert", TLS_DIR.resolve("root.crt").toString(), "--key", TLS_DIR.resolve("root.key").toString(),
                "--command-timeout=2s", "get", "--print-value-only", KEY);
        assertThat(result.exitCode()).as("etcdctl get over TLS: %s", result.stderr()).isZero();
        return result.stdout().isBlank() ? Optional.empty() : Optional.of(result.stdout().strip());
    }

    /**
     * A wrong password: etcd refuses the authentication, so neither agent reaches etcd and both say why; mdw serves
     * on under the failsafe (its standby reaches no etcd either), smdw takes no key and promotes nothing, and the
     * key is never written. Then a client certificate the lab CA did not sign: the member refuses the handshake,
     * and 'gpfo status' says so.
     */
    @Test
    @Order(1)
    void aWrongPasswordOrAnUnsignedCertificateReachesNoEtcdSaysWhyAndNothingIsPromoted() {
        pairWith(arbiter("gpfo", "not-" + password()));

        awaitEvent("smdw", ALERT, "arbiter-unreachable", Duration.ofSeconds(20));
        awaitEvent("mdw", ALERT, "arbiter-unreachable", Duration.ofSeconds(20));
        awaitEvent("mdw", ALERT, "arbiter-failsafe", Duration.ofSeconds(20));
        System.out.printf("ArbiterTlsIT wrong password: smdw alerts: %s%n", message("smdw", ALERT, "arbiter-unreachable"));
        for (String host : List.of("mdw", "smdw")) {
            assertThat(message(host, ALERT, "arbiter-unreachable")).as(host + "'s alert")
                    .contains("authentication as gpfo refused").contains("invalid user ID or password");
        }
        quietFor(TTL.plusSeconds(2));
        assertThat(count("smdw", ALERT, "promoting")).isZero();
        assertThat(count("mdw", ACTION, "self-fence")).isZero();
        assertThat(count("mdw", ACTION, "claim-leader") + count("smdw", ACTION, "claim-leader")).isZero();
        assertThat(leader()).as("the key, never written").isEmpty();
        assertThat(inRecovery("mdw")).isEqualTo("f");
        assertThat(inRecovery("smdw")).isEqualTo("t");
        assertNoSecondPrimary();

        String unsigned = Lab.config() + arbiter("untrusted-gpfo", password());
        CommandResult written = Lab.exec("mdw", "sh", "-c", "cat > /tmp/gpfo-untrusted.yaml << 'EOF'\n" + unsigned + "EOF\n");
        assertThat(written.ok()).as(written.stderr()).isTrue();
        CommandResult status = Lab.exec("mdw", Lab.BUILD_IN_HOST + "/bin/gpfo", "--config", "/tmp/gpfo-untrusted.yaml",
                "status", "--json");
        System.out.printf("ArbiterTlsIT unsigned client certificate: gpfo status: %s%n", status.stdout().strip());
        Lab.exec("mdw", "rm", "-f", "/tmp/gpfo-untrusted.yaml");
        assertThat(status.stdout()).contains("TLS handshake failed").contains("refused the client certificate");
    }

    /**
     * The right password: the serving coordinator takes the key over TLS; mdw's host is lost; smdw promotes only
     * after it took the key, once mdw's lease has expired.
     */
    @Test
    @Order(2)
    void withTheRightCredentialsMdwTakesTheKeyAndAHostLossPromotesSmdwOnlyAfterItTookTheKey() {
        pairWith(arbiter("gpfo", password()));
        await(() -> leader().map("mdw"::equals).orElse(false), Duration.ofSeconds(15), "the key to name mdw");
        assertThat(count("mdw", ALERT, "arbiter-unreachable") + count("smdw", ALERT, "arbiter-unreachable")).isZero();

        Instant failed = Instant.now();
        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");
        awaitPromoted("smdw", 1, Duration.ofSeconds(30));

        Instant claimed = firstAt("smdw", ACTION, "claim-leader");
        System.out.printf("ArbiterTlsIT host loss: smdw took the key %d ms and promoted %d ms after the fault%n",
                Duration.between(failed, claimed).toMillis(), Duration.between(failed, firstAt("smdw", ACTION, "promote")).toMillis());
        assertThat(leader()).hasValue("smdw");
        assertThat(Duration.between(failed, claimed)).as("the key is taken only once mdw's lease lapsed")
                .isGreaterThanOrEqualTo(TTL.minusSeconds(2));
        assertThat(firstAt("smdw", ACTION, "promote")).as("the promotion after the key").isAfter(claimed);
        assertThat(count("smdw", ALERT, "promoting")).isEqualTo(1);
        await(() -> watch.firstServed("smdw").isPresent(), Duration.ofSeconds(15), "the client to see smdw serve");
        assertNoSecondPrimary();
    }
}
