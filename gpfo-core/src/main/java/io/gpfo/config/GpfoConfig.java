package io.gpfo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The validated contents of {@code gpfo.yaml} (docs/design.md §9). One record per YAML section, with
 * the same names, so an operator reading the file and a developer reading the code see one model.
 * Instances only exist for files that passed every check in {@link ConfigLoader}.
 */
public record GpfoConfig(
        Path source,
        Cluster cluster,
        Node coordinator,
        Node standby,
        Greenplum greenplum,
        Vip vip,
        Heartbeat heartbeat,
        Witnesses witnesses,
        Promotion promotion,
        Ssh ssh,
        Alerts alerts,
        State state,
        Optional<Api> api,
        Optional<Arbiter> arbiter) {

    /** A configuration without an arbiter (as before the arbiter existed; tests and tools that need none). */
    public GpfoConfig(Path source, Cluster cluster, Node coordinator, Node standby, Greenplum greenplum, Vip vip,
            Heartbeat heartbeat, Witnesses witnesses, Promotion promotion, Ssh ssh, Alerts alerts, State state,
            Optional<Api> api) {
        this(source, cluster, coordinator, standby, greenplum, vip, heartbeat, witnesses, promotion, ssh, alerts, state, api,
                Optional.empty());
    }

    /**
     * The same configuration with a shorter SSH connect timeout: the agent's probes must give up
     * on a dead host within a heartbeat, not after the operator-facing ssh.connect_timeout.
     */
    public GpfoConfig withSshConnectTimeout(Duration connectTimeout) {
        return new GpfoConfig(source, cluster, coordinator, standby, greenplum, vip, heartbeat, witnesses, promotion,
                new Ssh(ssh.user(), ssh.port(), ssh.identityFile(), ssh.knownHosts(), connectTimeout), alerts, state, api, arbiter);
    }

    public record Cluster(String name) {
    }

    /** A coordinator host: {@code coordinator} (primary at install time) or {@code standby}. */
    public record Node(String host, List<String> extraAddresses, int port, Path dataDirectory) {
        /** Every address the heartbeat tries: the host first, then the extra paths. */
        public List<String> heartbeatAddresses() {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of(host), extraAddresses.stream()).toList();
        }
    }

    public enum GreenplumVersion {
        AUTO, GP6, GP7;

        public static Optional<GreenplumVersion> parse(String text) {
            return switch (text) {
                case "auto" -> Optional.of(AUTO);
                case "6" -> Optional.of(GP6);
                case "7" -> Optional.of(GP7);
                default -> Optional.empty();
            };
        }
    }

    public record Greenplum(Path home, GreenplumVersion version, String adminUser, String database) {
    }

    public record Vip(Ipv4 address, int prefix, String interfaceName, String label, Ipv4 gateway, int arpCount) {
        /** {@code 172.16.200.100/22}, the form {@code ip addr} takes. */
        public String cidr() {
            return address + "/" + prefix;
        }
    }

    public record Heartbeat(Duration interval, Duration timeout, int failureThreshold) {
    }

    public record Witnesses(List<String> hosts, Quorum quorum) {
        /** How many witness votes a promotion needs; 0 when no witnesses are configured. */
        public int votesNeeded() {
            return hosts.isEmpty() ? 0 : quorum.votesNeeded(hosts.size());
        }
    }

    /** {@code majority}, {@code all}, or an explicit count of witnesses. */
    public record Quorum(String text, int count) {
        public static final Quorum MAJORITY = new Quorum("majority", 0);
        public static final Quorum ALL = new Quorum("all", 0);

        public static Quorum of(int count) {
            return new Quorum(Integer.toString(count), count);
        }

        public int votesNeeded(int witnesses) {
            return switch (text) {
                case "majority" -> witnesses / 2 + 1;
                case "all" -> witnesses;
                default -> count;
            };
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public record Promotion(OptionalLong maxLagBytes) {
    }

    public record Ssh(String user, int port, Path identityFile, Path knownHosts, Duration connectTimeout) {
    }

    public record Alerts(boolean syslog, boolean wall, Duration repeat, Optional<String> command) {
    }

    public record State(Path directory) {
    }

    /**
     * The agent's read-only HTTP endpoint (metrics, role checks). Both hosts share one file, so
     * {@code listen} may name each host's address: an agent binds to those that are its own;
     * 0.0.0.0 (every address) only when written so.
     */
    public record Api(List<Ipv4> listen, int port) {
        public static final int DEFAULT_PORT = 9188;
        public static final Ipv4 EVERY_ADDRESS = new Ipv4(0);
    }

    /**
     * The etcd cluster that arbitrates who may serve: the leader key {@code <prefix>leader} names the
     * coordinator allowed to serve, under a lease of {@code ttl} that its agent renews every round.
     */
    public record Arbiter(List<java.net.URI> endpoints, Optional<Path> caFile, Optional<ClientCertificate> clientCertificate,
            Optional<Credentials> credentials, String prefix, Duration ttl) {
        public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);

        public String leaderKey() {
            return prefix + "leader";
        }

        public static String defaultPrefix(String clusterName) {
            return "/gpfo/" + clusterName + "/";
        }

        /**
         * How long before the lease can expire in etcd the primary stops serving. A round is judged when its
         * last probe answered; the next one starts at most an interval later and lasts at most a timeout and
         * half a second (every probe's deadline, etcd and the standby's reach file included); that leaves the
         * fence an interval less half a second (0.5 s at 1 s; it took 0.2-0.3 s on the lab), so the postmaster
         * is down before the standby can take the key.
         */
        public static Duration fenceMargin(Heartbeat heartbeat) {
            return heartbeat.interval().multipliedBy(2).plus(heartbeat.timeout());
        }

        /** The least ttl for a heartbeat: two renewal tries (one a round) plus the fence margin. */
        public static Duration minimumTtl(Heartbeat heartbeat) {
            return heartbeat.interval().multipliedBy(2).plus(fenceMargin(heartbeat));
        }
    }

    public record ClientCertificate(Path certFile, Path keyFile) {
    }

    /** An etcd user; its password is in gpfo.yaml (0640 root:gpadmin), never on a command line. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + "]";
        }
    }
}
