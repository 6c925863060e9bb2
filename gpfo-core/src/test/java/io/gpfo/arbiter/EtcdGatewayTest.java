package io.gpfo.arbiter;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.arbiter.LeaderLease.Reach;
import io.gpfo.config.GpfoConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway client against an in-memory etcd member: the JSON, base64 and int64-as-string forms, and the failures. */
class EtcdGatewayTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final Duration TTL = Duration.ofSeconds(5);

    private final FakeEtcd etcd = new FakeEtcd();
    private EtcdGateway gateway;

    EtcdGatewayTest() throws IOException {
    }

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        etcd.close();
    }

    private static GpfoConfig.Arbiter settings(List<URI> endpoints, Optional<GpfoConfig.Credentials> credentials) {
        return new GpfoConfig.Arbiter(endpoints, Optional.empty(), Optional.empty(), credentials, "/gpfo/dwh/", TTL);
    }

    private EtcdGateway gateway(List<URI> endpoints) {
        gateway = new EtcdGateway(settings(endpoints, Optional.empty()), DEADLINE);
        return gateway;
    }

    /** A loopback port nobody listens on: connecting is refused at once. */
    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    @Test
    void anAbsentKeyReadsAsNoLeaderAndAClaimCreatesItUnderANewLease() {
        EtcdGateway client = gateway(List.of(etcd.endpoint()));

        assertThat(client.read(DEADLINE)).isEqualTo(new LeaderLease.Reading(Reach.ANSWERED, Optional.empty(), ""));
        LeaderLease.Claim claim = client.claim("smdw", TTL, DEADLINE);

        assertThat(claim.taken()).isTrue();
        assertThat(claim.ttlSeconds()).hasValue(5);
        assertThat(etcd.values).containsEntry("/gpfo/dwh/leader", "smdw");
        long lease = etcd.keyLeases.get("/gpfo/dwh/leader");
        assertThat(claim.leader()).hasValue(new LeaderLease.Leader("smdw", lease));
        assertThat(client.read(DEADLINE).leader()).hasValue(new LeaderLease.Leader("smdw", lease));
    }

    @Test
    void aClaimOnAHeldKeyFailsNamesTheHolderAndRevokesItsUnusedLease() {
        EtcdGateway client = gateway(List.of(etcd.endpoint()));
        client.claim("mdw", TTL, DEADLINE);

        LeaderLease.Claim second = client.claim("smdw", TTL, DEADLINE);

        assertThat(second.taken()).isFalse();
        assertThat(second.reach()).isEqualTo(Reach.ANSWERED);
        assertThat(second.leader().map(LeaderLease.Leader::host)).hasValue("mdw");
        assertThat(etcd.values).containsEntry("/gpfo/dwh/leader", "mdw");
        assertThat(etcd.leaseTtls).hasSize(1); // smdw's lease was let go
        assertThat(etcd.calls).endsWith("/v3/lease/revoke");
    }

    @Test
    void renewalReportsTheTtlLeftAndAnExpiredLeaseAsNotAlive() {
        EtcdGateway client = gateway(List.of(etcd.endpoint()));
        long lease = client.claim("mdw", TTL, DEADLINE).leader().orElseThrow().leaseId();

        assertThat(client.renew(lease, DEADLINE).alive()).isTrue();
        assertThat(client.renew(lease, DEADLINE).ttlSeconds()).hasValue(5);
        assertThat(client.timeToLive(lease, DEADLINE).ttlSeconds()).hasValue(5);
        etcd.expire(lease);
        assertThat(client.timeToLive(lease, DEADLINE).ttlSeconds()).isEmpty();
        LeaderLease.Renewal expired = client.renew(lease, DEADLINE);

        assertThat(expired.alive()).isFalse();
        assertThat(expired.reach()).isEqualTo(Reach.ANSWERED);
        assertThat(client.read(DEADLINE).leader()).isEmpty();
    }

    @Test
    void aDeadMemberIsSkippedForTheNextWithinTheSameCall() throws IOException {
        EtcdGateway client = gateway(List.of(closedPort(), etcd.endpoint()));

        LeaderLease.Reading reading = client.read(DEADLINE);

        assertThat(reading.reach()).isEqualTo(Reach.ANSWERED);
    }

    @Test
    void noMemberListeningIsUnreachableWithEachMembersReason() throws IOException {
        EtcdGateway client = gateway(List.of(closedPort(), closedPort()));

        LeaderLease.Reading reading = client.read(DEADLINE);

        assertThat(reading.reach()).isEqualTo(Reach.UNREACHABLE);
        assertThat(reading.detail()).contains("cannot connect").contains(";");
        assertThat(client.claim("smdw", TTL, DEADLINE).reach()).isEqualTo(Reach.UNREACHABLE);
    }

    @Test
    void aMemberThatAcceptsButDoesNotAnswerWithinTheDeadlineHasNoQuorum() {
        etcd.stalled = true;
        gateway = new EtcdGateway(settings(List.of(etcd.endpoint()), Optional.empty()), Duration.ofMillis(300));

        LeaderLease.Reading reading = gateway.read(Duration.ofMillis(300));

        assertThat(reading.reach()).isEqualTo(Reach.NO_QUORUM);
        assertThat(reading.detail()).contains("no answer within");
    }

    @Test
    void withAUserItAuthenticatesOnceAndSendsTheToken() {
        etcd.password = "secret";
        gateway = new EtcdGateway(settings(List.of(etcd.endpoint()), Optional.of(new GpfoConfig.Credentials("gpfo", "secret"))),
                DEADLINE);

        assertThat(gateway.read(DEADLINE).reach()).isEqualTo(Reach.ANSWERED);
        assertThat(gateway.read(DEADLINE).reach()).isEqualTo(Reach.ANSWERED);
        assertThat(etcd.calls).containsExactly("/v3/auth/authenticate", "/v3/kv/range", "/v3/kv/range");
    }

    @Test
    void aLoginThatSpendsTheWholeDeadlineSendsNothingMoreInThatCall() {
        etcd.password = "secret";
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        etcd.afterAuthenticate = () -> nanos.addAndGet(DEADLINE.toNanos());
        gateway = new EtcdGateway(settings(List.of(etcd.endpoint()), Optional.of(new GpfoConfig.Credentials("gpfo", "secret"))),
                DEADLINE, nanos::get);

        LeaderLease.Reading reading = gateway.read(DEADLINE);

        assertThat(reading.reach()).isNotEqualTo(Reach.ANSWERED);
        assertThat(etcd.calls).as("the range is not sent past the call's deadline").containsExactly("/v3/auth/authenticate");
    }

    @Test
    void aWrongPasswordIsNotAnAnswer() {
        etcd.password = "secret";
        gateway = new EtcdGateway(settings(List.of(etcd.endpoint()), Optional.of(new GpfoConfig.Credentials("gpfo", "wrong"))),
                DEADLINE);

        LeaderLease.Reading reading = gateway.read(DEADLINE);

        assertThat(reading.reach()).isNotEqualTo(Reach.ANSWERED);
        assertThat(reading.leader()).isEmpty();
        assertThat(reading.detail()).contains("authentication as gpfo refused: etcdserver: authentication failed, invalid user ID"
                + " or password");
    }

    /** A simple token is known only to the member that issued it: after a failover the next member refuses it (401). */
    @Test
    void theTokenOfAMemberThatWentAwayIsRefusedByTheNextSoItAuthenticatesThereWithinTheSameCall() throws IOException {
        etcd.password = "secret";
        try (FakeEtcd next = new FakeEtcd()) {
            next.password = "secret";
            gateway = new EtcdGateway(settings(List.of(etcd.endpoint(), next.endpoint()),
                    Optional.of(new GpfoConfig.Credentials("gpfo", "secret"))), DEADLINE);
            assertThat(gateway.read(DEADLINE).reach()).isEqualTo(Reach.ANSWERED);
            etcd.close();

            LeaderLease.Reading reading = gateway.read(DEADLINE);

            assertThat(reading.reach()).isEqualTo(Reach.ANSWERED);
            assertThat(next.calls).containsExactly("/v3/kv/range", "/v3/auth/authenticate", "/v3/kv/range");
        }
    }

    @Test
    void aClientCertificateWithACommonNameRefusedByTheGatewaySaysHowToIssueOneThatIsNot() {
        etcd.password = "secret";
        etcd.refusesCommonName = true;
        gateway = new EtcdGateway(settings(List.of(etcd.endpoint()), Optional.of(new GpfoConfig.Credentials("gpfo", "secret"))),
                DEADLINE);

        LeaderLease.Reading reading = gateway.read(DEADLINE);

        assertThat(reading.reach()).isEqualTo(Reach.UNREACHABLE);
        assertThat(reading.detail()).contains("CommonName of client sending a request against gateway")
                .contains("issue cert_file without a CN");
    }

    @Test
    void aHandshakeTheMemberRefusedBlamesTheClientCertificate() {
        assertThat(EtcdGateway.handshakeDetail(new SSLHandshakeException("Received fatal alert: bad_certificate")))
                .isEqualTo("TLS handshake failed: Received fatal alert: bad_certificate; the member refused the client"
                        + " certificate: is cert_file signed by a CA in the member's --trusted-ca-file, and set at all (with"
                        + " --client-cert-auth a member asks for one)?");
    }

    @Test
    void aMemberCertificateNotSignedByTheCaFileOrNotNamingItsHostIsSaidSo() {
        assertThat(EtcdGateway.handshakeDetail(new SSLHandshakeException("PKIX path building failed: unable to find valid"
                + " certification path to requested target"))).endsWith("the member's certificate is not signed by ca_file (or,"
                        + " without ca_file, the Java trust store)");
        assertThat(EtcdGateway.handshakeDetail(new SSLHandshakeException("No subject alternative DNS name matching sdw9 found.")))
                .endsWith("the member's certificate does not name the host or address of its endpoint (its SAN)");
        assertThat(EtcdGateway.handshakeDetail(new SSLHandshakeException("Unsupported curve")))
                .isEqualTo("TLS handshake failed: Unsupported curve; check ca_file, cert_file and key_file against the members'"
                        + " TLS flags");
    }
}
