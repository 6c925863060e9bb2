package io.gpfo.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The namespace lab of {@code scripts/lab} (docs/design.md §13), driven from tests: bring it up,
 * run commands inside its hosts, inject faults, tear it down.
 */
public final class Lab {

    public static final Path REPO = Path.of(System.getProperty("gpfo.repo", "..")).toAbsolutePath().normalize();
    /** The unpacked distribution that `mvn package` made; visible inside every lab host. */
    public static final Path GPFO_HOME = Path.of(System.getProperty("gpfo.home", "target/gpfo")).toAbsolutePath().normalize();

    private static final ProcessRunner RUNNER = new ProcessRunner();

    /** The lab's topology, as {@code scripts/lab env} states it (it needs no running lab). */
    private static final Map<String, String> TOPOLOGY = env();
    public static final String VIP = TOPOLOGY.get("LAB_VIP");
    public static final String GATEWAY = TOPOLOGY.get("LAB_GATEWAY");
    /** The subnet's network address up to its last octet ("a.b.c." of a /24), to find lab addresses in output. */
    public static final String SUBNET_PREFIX = TOPOLOGY.get("LAB_SUBNET").replaceAll("\\.\\d+/\\d+$", ".");
    public static final List<String> HOSTS = List.of(TOPOLOGY.get("LAB_HOSTS").split(" "));

    private Lab() {
    }

    /** Runs {@code scripts/lab ARGS…}; the result, whatever its exit status. */
    public static CommandResult lab(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(REPO.resolve("scripts/lab").toString());
        argv.addAll(List.of(args));
        return RUNNER.run(new Command(argv, Map.of(), null, timeout));
    }

    /** Runs {@code scripts/lab ARGS…} and fails the test unless it succeeds. */
    public static CommandResult labOk(Duration timeout, String... args) {
        CommandResult result = lab(timeout, args);
        assertThat(result.exitCode()).as("scripts/lab %s\nstdout: %s\nstderr: %s", String.join(" ", args),
                result.stdout(), result.stderr()).isZero();
        return result;
    }

    public static void up() {
        labOk(Duration.ofMinutes(5), "up");
    }

    /** The real Greenplum 6.24.3 (scripts/lab up --greenplum 6), as {@link #up(String)} names it. */
    public static final String REAL_GREENPLUM_6 = "greenplum-6";

    /**
     * Brings the lab up with {@code gp}: "6" or "7", the stand-ins with that major's naming, or {@link #REAL_GREENPLUM_6}
     * (built the first time, minutes; then a cached cluster, about 30 s).
     */
    public static void up(String gp) {
        if (gp.equals(REAL_GREENPLUM_6)) {
            labOk(Duration.ofMinutes(30), "up", "--greenplum", "6");
        } else {
            labOk(Duration.ofMinutes(5), "up", "--gp", gp);
        }
    }

    public static void down() {
        labOk(Duration.ofMinutes(2), "down");
    }

    /** Runs a command as root inside a lab host. */
    public static CommandResult exec(String host, String... argv) {
        List<String> args = new ArrayList<>(List.of("exec", host));
        args.addAll(List.of(argv));
        return lab(Duration.ofSeconds(60), args.toArray(String[]::new));
    }

    /** Runs a command as gpadmin inside a lab host. */
    public static CommandResult asGpadmin(String host, String... argv) {
        List<String> args = new ArrayList<>(List.of("runuser", "-u", "gpadmin", "--"));
        args.addAll(List.of(argv));
        return exec(host, args.toArray(String[]::new));
    }

    /** One SQL statement through psql from {@code fromHost} to {@code server}; trimmed output. */
    public static CommandResult sql(String fromHost, String server, String statement) {
        return asGpadmin(fromHost, "psql", "-X", "-h", server, "-U", "gpadmin", "-d", "postgres", "-Atc", statement);
    }

    /** True when {@code from} gets an ICMP echo reply from {@code to} within about two seconds. */
    public static boolean pings(String from, String to) {
        return exec(from, "ping", "-n", "-q", "-c", "2", "-i", "0.3", "-W", "1", to).ok();
    }

    /** Percentage of lost echo requests over {@code count} pings. */
    public static int pingLossPercent(String from, String to, int count) {
        CommandResult result = exec(from, "ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.05", "-W", "1", to);
        var matcher = java.util.regex.Pattern.compile("(\\d+)% packet loss").matcher(result.stdout());
        assertThat(matcher.find()).as("ping summary in: %s", result.stdout()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    /** Where {@link #installBuild} puts the distribution inside a lab host. */
    public static final String BUILD_IN_HOST = "/opt/gpfo/build";

    /**
     * Copies the built distribution into a lab host: the checkout may live in /tmp, which every
     * lab host mounts privately, so the build is pushed rather than shared.
     */
    public static void installBuild(String host) {
        labOk(Duration.ofSeconds(60), "push", host, GPFO_HOME.toString(), BUILD_IN_HOST);
    }

    /** Runs gpfo from the distribution pushed by {@link #installBuild}, inside a lab host, as root. */
    public static CommandResult gpfo(String host, String... args) {
        List<String> argv = new ArrayList<>(List.of(BUILD_IN_HOST + "/bin/gpfo"));
        argv.addAll(List.of(args));
        return exec(host, argv.toArray(String[]::new));
    }

    /** The address of a lab host (LAB_IP_MDW, …). */
    public static String address(String host) {
        return java.util.Objects.requireNonNull(TOPOLOGY.get("LAB_IP_" + host.toUpperCase(java.util.Locale.ROOT)), host);
    }

    /**
     * A shell command, run in {@code ~gpadmin/.ssh} of a host, that replaces its record of {@code victim}'s host
     * keys with sdw1's keys under {@code victim}'s name and address: a changed host key, as SSH sees it.
     */
    public static String forgeKnownHostKeys(String victim) {
        String address = address(victim);
        return "awk '$1 ~ /(^|,)sdw1(,|$)/ { sub(/^[^ ]+/, \"" + victim + "," + address + "\"); print; next }"
                + " $1 !~ /(^|,)(" + victim + "|" + address.replace(".", "\\.") + ")(,|$)/ { print }'"
                + " known_hosts > kh && cat kh > known_hosts && rm kh";
    }

    /** The lab's gpfo.yaml for the running lab ({@code scripts/lab-gpfo config}, shared with setup and the demo). */
    public static String config() {
        CommandResult result = RUNNER.run(new Command(List.of(REPO.resolve("scripts/lab-gpfo").toString(), "config"), Map.of(),
                null, Duration.ofSeconds(30)));
        assertThat(result.exitCode()).as("lab-gpfo config: %s", result.stderr()).isZero();
        return result.stdout();
    }

    /** {@code scripts/lab env} as a map (LAB_DATA_DIR, LAB_GP_VERSION, …): what may change while tests run. */
    public static Map<String, String> env() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String line : labOk(Duration.ofSeconds(30), "env").stdout().lines().toList()) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                env.put(line.substring(0, equals), line.substring(equals + 1).replaceAll("^['\"]|['\"]$", ""));
            }
        }
        return env;
    }

    /**
     * Gets mdw and smdw ready for gpfo the way the installer will (scripts/lab-gpfo setup): the
     * build in /opt/gpfo/build, gpfo.yaml (plus {@code extraYaml}), and the sudoers rule.
     */
    public static void prepareGpfo(String extraYaml) {
        try {
            Path extra = java.nio.file.Files.createTempFile("gpfo-extra", ".yaml");
            try {
                java.nio.file.Files.writeString(extra, extraYaml);
                CommandResult result = RUNNER.run(new Command(List.of(REPO.resolve("scripts/lab-gpfo").toString(), "setup",
                        extra.toString()), Map.of(), null, Duration.ofMinutes(2)));
                assertThat(result.exitCode()).as("lab-gpfo setup: %s %s", result.stdout(), result.stderr()).isZero();
            } finally {
                java.nio.file.Files.deleteIfExists(extra);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void prepareGpfo() {
        prepareGpfo("");
    }

    /** Starts or stops the agents on mdw and smdw (scripts/lab-gpfo start|stop). */
    public static void agents(String startOrStop) {
        CommandResult result = RUNNER.run(new Command(List.of(REPO.resolve("scripts/lab-gpfo").toString(), startOrStop),
                Map.of(), null, Duration.ofMinutes(1)));
        assertThat(result.exitCode()).as("lab-gpfo %s: %s", startOrStop, result.stderr()).isZero();
    }

    /** A host's event log so far (events.jsonl, the rotated file first): what the agent raised, decided and did. */
    public static List<io.gpfo.history.EventRecord> events(String host) {
        return exec(host, "sh", "-c", "cat /var/lib/gpfo/events.jsonl.1 /var/lib/gpfo/events.jsonl 2>/dev/null").stdout().lines()
                .map(io.gpfo.history.EventLog::parse).flatMap(java.util.Optional::stream).toList();
    }

    /** A host's agent log so far. */
    public static String agentLog(String host) {
        return exec(host, "cat", "/var/lib/gpfo/agent.log").stdout();
    }

    /** Writes {@code /etc/gpfo/gpfo.yaml} on a lab host (mode 0640, as the installer will). */
    public static void writeConfig(String host, String yaml) {
        CommandResult result = RUNNER.run(new Command(List.of(REPO.resolve("scripts/lab").toString(), "exec", host,
                "sh", "-c", "umask 027 && mkdir -p /etc/gpfo && cat > /etc/gpfo/gpfo.yaml"), Map.of(), yaml,
                Duration.ofSeconds(30)));
        assertThat(result.ok()).as("writing gpfo.yaml on %s: %s", host, result.stderr()).isTrue();
    }
}
