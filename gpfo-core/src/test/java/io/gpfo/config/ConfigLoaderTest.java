package io.gpfo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            coordinator:
              host: mdw
            standby:
              host: smdw
            vip:
              address: 172.16.200.100
              prefix: 22
              interface: ens160
              gateway: 172.16.200.2
            """;

    private final ConfigLoader loader = new ConfigLoader(
            user -> user.equals("gpadmin") ? Optional.of(Path.of("/home/gpadmin")) : Optional.empty(), false);

    private GpfoConfig parse(String yaml) throws ConfigException {
        return loader.parse(yaml, Path.of("gpfo.yaml"));
    }

    @Test
    void minimalFileGetsTheDocumentedDefaults() throws Exception {
        GpfoConfig config = parse(MINIMAL);

        assertThat(config.cluster().name()).isEqualTo("greenplum");
        assertThat(config.coordinator().port()).isEqualTo(5432);
        assertThat(config.coordinator().dataDirectory()).isEqualTo(Path.of("/data/coordinator/gpseg-1"));
        assertThat(config.standby().extraAddresses()).isEmpty();
        assertThat(config.greenplum().home()).isEqualTo(Path.of("/usr/local/greenplum-db"));
        assertThat(config.greenplum().version()).isEqualTo(GpfoConfig.GreenplumVersion.AUTO);
        assertThat(config.greenplum().adminUser()).isEqualTo("gpadmin");
        assertThat(config.greenplum().database()).isEqualTo("postgres");
        assertThat(config.vip().cidr()).isEqualTo("172.16.200.100/22");
        assertThat(config.vip().label()).isEqualTo("ens160:0");
        assertThat(config.vip().arpCount()).isEqualTo(3);
        assertThat(config.heartbeat()).isEqualTo(new GpfoConfig.Heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(1), 3));
        assertThat(config.witnesses().hosts()).isEmpty();
        assertThat(config.witnesses().votesNeeded()).isZero();
        assertThat(config.promotion().maxLagBytes()).isEmpty();
        assertThat(config.ssh().user()).isEqualTo("gpadmin");
        assertThat(config.ssh().port()).isEqualTo(22);
        assertThat(config.ssh().identityFile()).isEqualTo(Path.of("/home/gpadmin/.ssh/id_rsa"));
        assertThat(config.ssh().knownHosts()).isEqualTo(Path.of("/home/gpadmin/.ssh/known_hosts"));
        assertThat(config.ssh().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.alerts()).isEqualTo(new GpfoConfig.Alerts(true, true, Duration.ofSeconds(60), Optional.empty()));
        assertThat(config.state().directory()).isEqualTo(Path.of("/var/lib/gpfo"));
        assertThat(config.api()).isEmpty(); // no endpoint unless configured
        assertThat(config.arbiter()).isEmpty(); // no etcd unless configured: today's behaviour
    }

    @Test
    void arbiterTakesEndpointsTlsCredentialsAndDefaultsItsPrefixToTheClusterName() throws Exception {
        GpfoConfig config = parse(MINIMAL + """
                cluster: {name: dwh}
                arbiter:
                  endpoints: [https://sdw1:2379, https://10.0.0.3:2379]
                  ca_file: /etc/gpfo/etcd-ca.pem
                  cert_file: /etc/gpfo/etcd-client.pem
                  key_file: /etc/gpfo/etcd-client.key
                  user: gpfo
                  password: secret
                """);

        GpfoConfig.Arbiter arbiter = config.arbiter().orElseThrow();
        assertThat(arbiter.endpoints()).extracting(java.net.URI::toString)
                .containsExactly("https://sdw1:2379", "https://10.0.0.3:2379");
        assertThat(arbiter.caFile()).hasValue(Path.of("/etc/gpfo/etcd-ca.pem"));
        assertThat(arbiter.clientCertificate()).hasValue(new GpfoConfig.ClientCertificate(Path.of("/etc/gpfo/etcd-client.pem"),
                Path.of("/etc/gpfo/etcd-client.key")));
        assertThat(arbiter.credentials()).hasValue(new GpfoConfig.Credentials("gpfo", "secret"));
        assertThat(arbiter.credentials().orElseThrow().toString()).doesNotContain("secret");
        assertThat(arbiter.prefix()).isEqualTo("/gpfo/dwh/");
        assertThat(arbiter.leaderKey()).isEqualTo("/gpfo/dwh/leader");
        assertThat(arbiter.ttl()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void arbiterTtlMayBeTheLeastItsHeartbeatAllows() throws Exception {
        GpfoConfig config = parse(MINIMAL + "heartbeat: {interval: 2s, timeout: 1s}\n"
                + "arbiter: {endpoints: [http://sdw1:2379], prefix: /site/a/, ttl: 9s}\n");

        assertThat(config.arbiter().orElseThrow().ttl()).isEqualTo(Duration.ofSeconds(9));
        assertThat(config.arbiter().orElseThrow().prefix()).isEqualTo("/site/a/");
        assertThat(config.arbiter().orElseThrow().clientCertificate()).isEmpty();
    }

    @Test
    void apiTakesOneAddressOrEachHostsAndAPortThatDefaults() throws Exception {
        assertThat(parse(MINIMAL + "api: {listen: 172.16.200.11}\n").api()).hasValue(
                new GpfoConfig.Api(List.of(Ipv4.parse("172.16.200.11").orElseThrow()), 9188));
        assertThat(parse(MINIMAL + "api: {listen: [172.16.200.11, 172.16.200.12], port: 9100}\n").api().orElseThrow().listen())
                .extracting(Ipv4::toString).containsExactly("172.16.200.11", "172.16.200.12");
        assertThat(parse(MINIMAL + "api: {listen: 0.0.0.0}\n").api().orElseThrow().listen())
                .containsExactly(GpfoConfig.Api.EVERY_ADDRESS);
    }

    @Test
    void theShippedExampleIsValidAndSpellsOutTheDefaults() throws Exception {
        Path example = Path.of("..", "etc", "gpfo.yaml.example");
        GpfoConfig config = parse(Files.readString(example));

        assertThat(config.cluster().name()).isEqualTo("gpprod");
        GpfoConfig defaults = parse(MINIMAL);
        assertThat(config.heartbeat()).isEqualTo(defaults.heartbeat());
        assertThat(config.ssh()).isEqualTo(defaults.ssh());
        assertThat(config.alerts()).isEqualTo(defaults.alerts());
        assertThat(config.greenplum()).isEqualTo(defaults.greenplum());
        assertThat(config.vip()).isEqualTo(defaults.vip());
        // every key the reader knows is documented in the example
        String text = Files.readString(example);
        ConfigReader.KEYS.values().stream().flatMap(List::stream)
                .forEach(key -> assertThat(text).as("example documents %s", key).containsPattern("(?m)^\\s*#?\\s*" + key + ":"));
    }

    @Test
    void readsEveryKeyWhenGiven() throws Exception {
        GpfoConfig config = parse("""
                cluster: {name: gp-prod.1}
                coordinator:
                  host: 10.0.0.11
                  extra_addresses: [mdw-1, 10.1.0.11]
                  port: 6000
                  data_directory: /data/master/gpseg-1/
                standby: {host: smdw, port: 6001, data_directory: /data/master/gpseg-1}
                greenplum: {home: ~gpadmin/gp, version: 6, admin_user: gpadm, database: template1}
                vip: {address: 10.0.0.100, netmask: 255.255.252.0, interface: eth0, label: eth0:vip, gateway: 10.0.0.1, arp_count: 5}
                heartbeat: {interval: 2s, timeout: 500ms, failure_threshold: 5}
                witnesses: {hosts: [sdw1, sdw2, sdw3], quorum: 2}
                promotion: {max_lag_bytes: 1048576}
                ssh: {user: gpadmin, port: 2222, identity_file: /root/.ssh/id_ed25519, known_hosts: ~/kh, connect_timeout: 1m}
                alerts: {syslog: false, wall: false, repeat: 1h, command: /usr/local/bin/page-me}
                state: {directory: /srv/gpfo}
                """);

        assertThat(config.coordinator().heartbeatAddresses()).containsExactly("10.0.0.11", "mdw-1", "10.1.0.11");
        assertThat(config.coordinator().dataDirectory()).isEqualTo(Path.of("/data/master/gpseg-1"));
        assertThat(config.greenplum().home()).isEqualTo(Path.of("/home/gpadmin/gp"));
        assertThat(config.greenplum().version()).isEqualTo(GpfoConfig.GreenplumVersion.GP6);
        assertThat(config.vip().prefix()).isEqualTo(22);
        assertThat(config.vip().label()).isEqualTo("eth0:vip");
        assertThat(config.heartbeat().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.witnesses().votesNeeded()).isEqualTo(2);
        assertThat(config.promotion().maxLagBytes()).hasValue(1048576);
        assertThat(config.ssh().knownHosts()).isEqualTo(Path.of("/home/gpadmin/kh"));
        assertThat(config.ssh().connectTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.alerts().command()).hasValue("/usr/local/bin/page-me");
        assertThat(config.state().directory()).isEqualTo(Path.of("/srv/gpfo"));
    }

    @Test
    void quorumCountsVotes() {
        assertThat(GpfoConfig.Quorum.MAJORITY.votesNeeded(3)).isEqualTo(2);
        assertThat(GpfoConfig.Quorum.MAJORITY.votesNeeded(2)).isEqualTo(2);
        assertThat(GpfoConfig.Quorum.MAJORITY.votesNeeded(1)).isEqualTo(1);
        assertThat(GpfoConfig.Quorum.ALL.votesNeeded(3)).isEqualTo(3);
        assertThat(GpfoConfig.Quorum.of(1).votesNeeded(3)).isEqualTo(1);
    }

    /** One bad input per rule: the replacement applied to MINIMAL, and the error it must produce. */
    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("unknown key", "  gateway: 172.16.200.2", "  gateway: 172.16.200.2\n  adress: 1.2.3.4",
                        "gpfo.yaml:10:3 vip.adress: unknown key (known: address, prefix, netmask, interface, label, gateway, arp_count)"),
                bad("unknown section", "vip:", "vips: {}\nvip:", "gpfo.yaml:5:1 vips: unknown key (known: cluster, coordinator"),
                bad("bad IPv4", "address: 172.16.200.100", "address: 172.16.300.100",
                        "gpfo.yaml:6:12 vip.address: '172.16.300.100' is not an IPv4 address"),
                bad("prefix 0", "prefix: 22", "prefix: 0", "vip.prefix: 0 is out of range; expected 1 to 32"),
                bad("prefix 33", "prefix: 22", "prefix: 33", "vip.prefix: 33 is out of range; expected 1 to 32"),
                bad("prefix not a number", "prefix: 22", "prefix: /22", "vip.prefix: expected a whole number, got '/22'"),
                bad("netmask not contiguous", "prefix: 22", "netmask: 255.0.255.0", "vip.netmask: not a contiguous netmask"),
                bad("prefix and netmask", "prefix: 22", "prefix: 22\n  netmask: 255.255.252.0",
                        "vip.netmask: give either prefix or netmask, not both"),
                bad("neither prefix nor netmask", "  prefix: 22\n", "", "vip: required key missing: prefix (e.g. 22) or netmask"),
                bad("VIP is a host address", "host: mdw", "host: 172.16.200.100",
                        "vip.address: 172.16.200.100 is also the address of coordinator"),
                bad("VIP is an extra address", "host: smdw", "host: smdw\n  extra_addresses: [172.16.200.100]",
                        "vip.address: 172.16.200.100 is also the address of standby"),
                bad("gateway outside subnet", "gateway: 172.16.200.2", "gateway: 172.16.204.1",
                        "vip.gateway: 172.16.204.1 is not in the VIP's subnet 172.16.200.0/22"),
                bad("gateway is the VIP", "gateway: 172.16.200.2", "gateway: 172.16.200.100", "vip.gateway: is the VIP itself"),
                bad("same hosts", "host: smdw", "host: MDW", "standby.host: is the same host as coordinator.host"),
                bad("bad host name", "host: smdw", "host: smdw_1", "standby.host: 'smdw_1' is not a host name or IPv4 address"),
                bad("label too long", "interface: ens160", "interface: ens160\n  label: ens160:abcdefghi",
                        "vip.label: 'ens160:abcdefghi' is longer than 15 characters"),
                bad("label not of the interface", "interface: ens160", "interface: ens160\n  label: eth0:0",
                        "vip.label: 'eth0:0' must start with the interface name, e.g. ens160:0"),
                bad("timeout zero", "vip:", "heartbeat: {timeout: 0s}\nvip:", "heartbeat.timeout: must be longer than 0s"),
                bad("timeout above interval", "vip:", "heartbeat: {interval: 1s, timeout: 2s}\nvip:",
                        "heartbeat.timeout: 2s must not exceed heartbeat.interval 1s"),
                bad("interval below the default timeout", "vip:", "heartbeat: {interval: 500ms}\nvip:",
                        "heartbeat.timeout: (default 1s) must not exceed heartbeat.interval 500ms"),
                bad("interval zero", "vip:", "heartbeat: {interval: 0ms, timeout: 0ms}\nvip:", "heartbeat.interval: must be longer than 0s"),
                bad("bad duration", "vip:", "heartbeat: {interval: 1 second}\nvip:",
                        "heartbeat.interval: '1 second' is not a duration; expected e.g. 500ms, 2s, 1m, 1h30m, 1d"),
                bad("threshold zero", "vip:", "heartbeat: {failure_threshold: 0}\nvip:",
                        "heartbeat.failure_threshold: 0 is out of range; expected 1 to 1000"),
                bad("witness is a coordinator host", "vip:", "witnesses: {hosts: [sdw1, smdw]}\nvip:",
                        "witnesses.hosts[1]: 'smdw' is a coordinator host"),
                bad("witness twice", "vip:", "witnesses: {hosts: [sdw1, sdw1]}\nvip:", "witnesses.hosts[1]: 'sdw1' is listed twice"),
                bad("quorum above witness count", "vip:", "witnesses: {hosts: [sdw1, sdw2], quorum: 3}\nvip:",
                        "witnesses.quorum: 3 votes needed but only 2 witness(es) configured"),
                bad("quorum with no witnesses", "vip:", "witnesses: {quorum: 1}\nvip:",
                        "witnesses.quorum: 1 votes needed but only 0 witness(es) configured"),
                bad("quorum zero", "vip:", "witnesses: {hosts: [sdw1], quorum: 0}\nvip:", "witnesses.quorum: 0 is not a quorum"),
                bad("quorum word", "vip:", "witnesses: {hosts: [sdw1], quorum: most}\nvip:",
                        "witnesses.quorum: 'most' is not a quorum; expected majority, all or a number"),
                bad("version", "vip:", "greenplum: {version: 5}\nvip:", "greenplum.version: '5' is not a version; expected auto, 6 or 7"),
                bad("relative path", "vip:", "state: {directory: var/lib/gpfo}\nvip:",
                        "state.directory: 'var/lib/gpfo' must be an absolute path"),
                bad("unknown user for ~", "vip:", "ssh: {user: nobody2, identity_file: ~/.ssh/id_rsa}\nvip:",
                        "ssh.identity_file: cannot expand '~' in '~/.ssh/id_rsa': user nobody2 has no home directory here"),
                bad("default path of an unknown user", "vip:", "ssh: {user: nobody2}\nvip:",
                        "ssh.identity_file: the default '~/.ssh/id_rsa' needs the home directory of user nobody2, who does not exist here"),
                bad("bad port", "host: mdw", "host: mdw\n  port: 70000", "coordinator.port: 70000 is out of range; expected 1 to 65535"),
                bad("boolean", "vip:", "alerts: {wall: maybe}\nvip:", "alerts.wall: expected true or false, got 'maybe'"),
                bad("negative lag", "vip:", "promotion: {max_lag_bytes: -1}\nvip:", "promotion.max_lag_bytes: must be 0 or more bytes"),
                bad("missing section", "standby:\n  host: smdw\n", "", "gpfo.yaml:1:1 standby: required section missing"),
                bad("missing key", "  interface: ens160\n", "", "vip.interface: required key missing"),
                bad("section of wrong kind", "vip:", "heartbeat: 1s\nvip:", "heartbeat: expected a mapping of keys (interval, timeout, failure_threshold), got a scalar"),
                bad("duplicate key", "  prefix: 22", "  prefix: 22\n  prefix: 23", "vip.prefix: duplicate key"),
                bad("bad user", "vip:", "greenplum: {admin_user: Gp Admin}\nvip:", "greenplum.admin_user: 'Gp Admin' is not valid"),
                bad("interface name too long", "interface: ens160", "interface: enp0s31f6abcdefgh", "vip.interface: 'enp0s31f6abcdefgh' is not valid"),
                bad("api without listen", "vip:", "api: {port: 9188}\nvip:", "api.listen: required key missing"),
                bad("api listen not IPv4", "vip:", "api: {listen: mdw}\nvip:", "api.listen: 'mdw' is not an IPv4 address"),
                bad("api listen list item not IPv4", "vip:", "api: {listen: [10.0.0.1, mdw]}\nvip:",
                        "gpfo.yaml:5:26 api.listen[1]: 'mdw' is not an IPv4 address"),
                bad("api listen empty list", "vip:", "api: {listen: []}\nvip:", "api.listen: expected at least one IPv4 address"),
                bad("api listen twice", "vip:", "api: {listen: [10.0.0.1, 10.0.0.1]}\nvip:",
                        "api.listen[1]: '10.0.0.1' is listed twice"),
                bad("api listen on the VIP", "vip:", "api: {listen: 172.16.200.100}\nvip:",
                        "api.listen: '172.16.200.100' is the VIP, which moves between the hosts"),
                bad("api every address with others", "vip:", "api: {listen: [10.0.0.1, 0.0.0.0]}\nvip:",
                        "api.listen[1]: 0.0.0.0 (every address of the host) cannot be listed with other addresses"),
                bad("api port", "vip:", "api: {listen: 10.0.0.1, port: 0}\nvip:", "api.port: 0 is out of range; expected 1 to 65535"),
                bad("api unknown key", "vip:", "api: {listen: 10.0.0.1, address: 10.0.0.1}\nvip:",
                        "api.address: unknown key (known: listen, port)"),
                bad("arbiter without endpoints", "vip:", "arbiter: {ttl: 10s}\nvip:", "arbiter.endpoints: required key missing"),
                bad("arbiter endpoint not a URL", "vip:", "arbiter: {endpoints: [sdw1:2379]}\nvip:",
                        "arbiter.endpoints[0]: 'sdw1:2379' is not an etcd endpoint; expected http://host:port"),
                bad("arbiter endpoint without port", "vip:", "arbiter: {endpoints: [http://sdw1]}\nvip:",
                        "arbiter.endpoints[0]: 'http://sdw1' is not an etcd endpoint"),
                bad("arbiter endpoints not a list", "vip:", "arbiter: {endpoints: http://sdw1:2379}\nvip:",
                        "arbiter.endpoints: expected a list of URLs"),
                bad("arbiter endpoint twice", "vip:", "arbiter: {endpoints: [http://a:2379, http://a:2379]}\nvip:",
                        "arbiter.endpoints[1]: 'http://a:2379' is listed twice"),
                bad("arbiter mixed schemes", "vip:", "arbiter: {endpoints: [http://a:2379, https://b:2379]}\nvip:",
                        "arbiter.endpoints: mixes http:// and https://"),
                bad("arbiter TLS over http", "vip:", "arbiter: {endpoints: [http://a:2379], ca_file: /etc/ca.pem}\nvip:",
                        "arbiter.ca_file: is set but the endpoints are http://"),
                bad("arbiter cert without key", "vip:", "arbiter: {endpoints: [https://a:2379], cert_file: /etc/c.pem}\nvip:",
                        "arbiter.key_file: required with cert_file"),
                bad("arbiter user without password", "vip:", "arbiter: {endpoints: [http://a:2379], user: gpfo}\nvip:",
                        "arbiter.password: required with user"),
                bad("arbiter relative CA", "vip:", "arbiter: {endpoints: [https://a:2379], ca_file: ca.pem}\nvip:",
                        "arbiter.ca_file: 'ca.pem' must be an absolute path"),
                bad("arbiter prefix", "vip:", "arbiter: {endpoints: [http://a:2379], prefix: gpfo}\nvip:",
                        "arbiter.prefix: 'gpfo' is not valid; expected a key prefix that starts and ends with '/'"),
                bad("arbiter ttl not whole seconds", "vip:", "arbiter: {endpoints: [http://a:2379], ttl: 5500ms}\nvip:",
                        "arbiter.ttl: 5s500ms is not a whole number of seconds"),
                bad("arbiter ttl below the heartbeat's rule", "vip:", "arbiter: {endpoints: [http://a:2379], ttl: 4s}\nvip:",
                        "arbiter.ttl: 4s is below 4 x heartbeat.interval + heartbeat.timeout = 5s"),
                bad("arbiter default ttl below a slow heartbeat", "vip:",
                        "heartbeat: {interval: 2s}\narbiter: {endpoints: [http://a:2379]}\nvip:",
                        "arbiter.ttl: (default 5s) is below 4 x heartbeat.interval + heartbeat.timeout = 9s"),
                bad("arbiter unknown key", "vip:", "arbiter: {endpoints: [http://a:2379], lease: 5s}\nvip:",
                        "arbiter.lease: unknown key (known: endpoints, ca_file, cert_file, key_file, user, password, prefix, ttl)"),
                bad("not YAML", "vip:", "vip: [\n", "not valid YAML"));
    }

    private static Arguments bad(String rule, String find, String replace, String expected) {
        return Arguments.of(rule, find, replace, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void everyRuleRejectsItsBadInput(String rule, String find, String replace, String expected) {
        assertThat(MINIMAL).contains(find);
        String yaml = MINIMAL.replace(find, replace);

        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }

    @Test
    void reportsEveryErrorAtOnceInFileOrderWithLineAndColumn() {
        String yaml = """
                coordinator:
                  host: mdw
                  prot: 5432
                standby:
                  host: mdw
                vip:
                  address: 1.2.3
                  prefix: 40
                  interface: ens160
                  gateway: 172.16.200.2
                heartbeat:
                  interval: 1s
                  timeout: 5s
                """;

        assertThatThrownBy(() -> parse(yaml)).isInstanceOfSatisfying(ConfigException.class, e ->
                assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                        "gpfo.yaml:3:3 coordinator.prot: unknown key (known: host, extra_addresses, port, data_directory)",
                        "gpfo.yaml:5:3 standby.host: is the same host as coordinator.host ('mdw'); the standby must be another host",
                        "gpfo.yaml:7:12 vip.address: '1.2.3' is not an IPv4 address (expected a.b.c.d)",
                        "gpfo.yaml:8:11 vip.prefix: 40 is out of range; expected 1 to 32",
                        "gpfo.yaml:13:3 heartbeat.timeout: 5s must not exceed heartbeat.interval 1s, or rounds would overlap"));
    }

    @Test
    void emptyFileSaysWhatIsNeeded() {
        assertThatThrownBy(() -> parse("")).hasMessage("gpfo.yaml:1:1 the file is empty; it needs at least coordinator, standby and vip");
        assertThatThrownBy(() -> parse("- a\n- b\n")).hasMessageContaining("expected a mapping of sections");
    }

    @Test
    void locatesTheFileByOptionThenEnvironmentThenDefault() {
        assertThat(ConfigLoader.locate(Path.of("/x.yaml"), Map.of("GPFO_CONFIG", "/y.yaml"))).isEqualTo(Path.of("/x.yaml"));
        assertThat(ConfigLoader.locate(null, Map.of("GPFO_CONFIG", "/y.yaml"))).isEqualTo(Path.of("/y.yaml"));
        assertThat(ConfigLoader.locate(null, Map.of())).isEqualTo(Path.of("/etc/gpfo/gpfo.yaml"));
    }

    @Test
    void missingFileSaysHowToCreateIt(@TempDir Path dir) {
        assertThatThrownBy(() -> loader.load(dir.resolve("gpfo.yaml")))
                .hasMessageContaining("gpfo.yaml no such file; copy etc/gpfo.yaml.example there");
    }

    /** The first line of what loading {@code file} reports. */
    private String firstError(Path file) {
        String message = catching(() -> loader.load(file));
        assertThat(message).as("loading %s fails", file).isNotNull();
        return message.lines().findFirst().orElseThrow();
    }

    @Test
    void refusesAFileLargerThanOneMebibyteBeforeReadingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gpfo.yaml");
        Files.writeString(file, MINIMAL + "#".repeat(2 * 1024 * 1024));

        assertThat(firstError(file)).isEqualTo(file + " is " + Files.size(file)
                + " bytes; a configuration file may be at most 1 MiB (1048576 bytes)");
    }

    @Test
    void refusesDeepNestingWithTheLimit(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gpfo.yaml");
        Files.writeString(file, "coordinator: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
        Path block = dir.resolve("block.yaml");
        StringBuilder nested = new StringBuilder();
        for (int depth = 0; depth < 40; depth++) {
            nested.append(" ".repeat(depth)).append("k").append(depth).append(":\n");
        }
        Files.writeString(block, nested + " ".repeat(40) + "leaf: 1\n");

        assertThat(firstError(file)).isEqualTo(file + ":1:45 nested more than 32 levels deep (the limit;"
                + " gpfo.yaml needs 3)");
        assertThat(firstError(block)).isEqualTo(block + ":33:33 nested more than 32 levels deep (the limit;"
                + " gpfo.yaml needs 3)");
    }

    @Test
    void aSyntaxErrorKeepsTheParsersReasonAndItsLine() {
        assertThatThrownBy(() -> parse("coordinator:\n\thost: mdw\n")).hasMessage(
                "gpfo.yaml:2:1 not valid YAML: found character '\\t(TAB)' that cannot start any token."
                        + " (Do not use \\t(TAB) for indentation) (while scanning for the next token)");
    }

    @Test
    void refusesASecondDocument() {
        assertThatThrownBy(() -> parse(MINIMAL + "---\nvip: {}\n")).hasMessage("gpfo.yaml:11:1 a second YAML document"
                + " (after a '---' line) starts here; gpfo.yaml must be one document (remove the '---' and merge the two)");
    }

    @Test
    void aWitnessListedTwiceIsOneError() {
        assertThatThrownBy(() -> parse(MINIMAL + "witnesses: {hosts: [sdw1, sdw2, sdw1]}\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::toString)
                        .containsExactly("gpfo.yaml:10:33 witnesses.hosts[2]: 'sdw1' is listed twice"));
    }

    @Test
    void refusesWhatIsNotARegularFileAsSuch(@TempDir Path dir) {
        assertThat(firstError(Path.of("/dev/null"))).isEqualTo(
                "/dev/null is not a regular file (a device, FIFO or socket); the configuration must be a regular file");
        assertThat(firstError(dir)).isEqualTo(dir + " is a directory; give the configuration file's path");
        ConfigLoader asRoot = new ConfigLoader(user -> Optional.empty(), true);
        assertThat(catching(() -> asRoot.load(Path.of("/dev/null")))).startsWith("/dev/null is not a regular file");
    }

    @Test
    void anEmptyConfigOptionIsNamedAsSuch() {
        assertThat(firstError(Path.of(""))).isEqualTo(
                "--config is empty; give the configuration file's path, e.g. --config /etc/gpfo/gpfo.yaml");
    }

    @Test
    void saysWhyAFileCannotBeRead() {
        assertThat(ConfigLoader.readFailure("/etc/gpfo/gpfo.yaml", new java.nio.file.AccessDeniedException("/etc/gpfo/gpfo.yaml"))
                .getMessage()).isEqualTo("/etc/gpfo/gpfo.yaml cannot read: permission denied; run as root or as a user"
                        + " allowed to read it (see ls -l /etc/gpfo/gpfo.yaml)");
        assertThat(ConfigLoader.readFailure("/x", new java.nio.file.FileSystemException("/x", null, "Input/output error"))
                .getMessage()).isEqualTo("/x cannot read: Input/output error");
    }

    @Test
    void namesTheFirstByteThatIsNotUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gpfo.yaml");
        Files.write(file, "coordinator:\n  host: m\u00e9dw\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThat(firstError(file)).isEqualTo(file + " is not UTF-8 at byte 23 (line 2: 0xe9); save it as UTF-8");
    }

    @Test
    void asRootRefusesAFileOthersCanWrite(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gpfo.yaml");
        Files.writeString(file, MINIMAL);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        ConfigLoader asRoot = new ConfigLoader(user -> Optional.of(Path.of("/home/" + user)), true);

        assertThatThrownBy(() -> asRoot.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is writable by group or others").hasMessageContaining("chmod go-w " + file);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        if (ConfigLoader.isRoot()) {
            assertThat(catching(() -> asRoot.load(file))).isNull();
        } else {
            assertThat(catching(() -> asRoot.load(file))).contains("chown root");
        }
    }

    private static String catching(ThrowingLoad load) {
        try {
            load.run();
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    private interface ThrowingLoad {
        void run() throws ConfigException;
    }

    @Test
    void parsesPasswdHomes() {
        Map<String, Path> homes = PasswdHomes.parse("root:x:0:0:root:/root:/bin/bash\ngpadmin:*:1000:1000::/home/gpadmin:/bin/bash\nbroken\n");
        assertThat(homes).containsEntry("gpadmin", Path.of("/home/gpadmin")).containsEntry("root", Path.of("/root")).hasSize(2);
    }
}
