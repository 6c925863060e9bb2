package io.gpfo.config;

import io.gpfo.config.GpfoConfig.Alerts;
import io.gpfo.config.GpfoConfig.Api;
import io.gpfo.config.GpfoConfig.Cluster;
import io.gpfo.config.GpfoConfig.Greenplum;
import io.gpfo.config.GpfoConfig.GreenplumVersion;
import io.gpfo.config.GpfoConfig.Heartbeat;
import io.gpfo.config.GpfoConfig.Node;
import io.gpfo.config.GpfoConfig.Promotion;
import io.gpfo.config.GpfoConfig.Quorum;
import io.gpfo.config.GpfoConfig.Ssh;
import io.gpfo.config.GpfoConfig.State;
import io.gpfo.config.GpfoConfig.Vip;
import io.gpfo.config.GpfoConfig.Witnesses;
import io.gpfo.config.YamlTree.Entry;
import io.gpfo.config.YamlTree.ListNode;
import io.gpfo.config.YamlTree.MapNode;
import io.gpfo.config.YamlTree.Mark;
import io.gpfo.config.YamlTree.Scalar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds a parsed YAML tree to {@link GpfoConfig}, one key at a time, collecting every problem
 * (with its line and column) instead of stopping at the first. Values that fail become null;
 * the caller only builds a config when no problem was found.
 */
final class ConfigReader {

    /** Every section and its keys, in file order: for "unknown key" messages (from {@link ConfigKeys}). */
    static final Map<String, List<String>> KEYS = ConfigKeys.names();

    static final String DEFAULT_DATA_DIRECTORY = "/data/coordinator/gpseg-1";

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");
    private static final Pattern HOME_PREFIX = Pattern.compile("~([a-z_][a-z0-9_-]*)?(/.*)?");

    private final String file;
    private final Function<String, Optional<Path>> homeOf;
    private final List<ConfigError> errors = new ArrayList<>();
    /** Where each key path was written, so cross-field rules can point at a line too. */
    private final Map<String, Mark> marks = new LinkedHashMap<>();

    ConfigReader(String file, Function<String, Optional<Path>> homeOf) {
        this.file = file;
        this.homeOf = homeOf;
    }

    List<ConfigError> errors() {
        return errors;
    }

    Map<String, Mark> marks() {
        return marks;
    }

    void error(Mark mark, String path, String message) {
        errors.add(new ConfigError(file, mark.line(), mark.column(), path, message));
    }

    GpfoConfig read(Path source, YamlTree.Node root, Map<String, Mark> duplicates) {
        duplicates.forEach((path, mark) -> error(mark, path, "duplicate key (each key may appear once)"));
        Section top = rootSection(root);
        Section cluster = top.section("cluster", false);
        Section coordinator = top.section("coordinator", true);
        Section standby = top.section("standby", true);
        Section greenplum = top.section("greenplum", false);
        Section vip = top.section("vip", true);
        Section heartbeat = top.section("heartbeat", false);
        Section witnesses = top.section("witnesses", false);
        Section promotion = top.section("promotion", false);
        Section ssh = top.section("ssh", false);
        Section alerts = top.section("alerts", false);
        Section state = top.section("state", false);
        Section api = top.section("api", false);
        Section arbiter = top.section("arbiter", false);

        String adminUser = greenplum.userName("admin_user");
        String sshUser = ssh.userName("user");
        String clusterName = cluster.matching("name", Pattern.compile("[A-Za-z0-9_.-]{1,64}"),
                "letters, digits, '_', '.', '-' (at most 64)");
        return new GpfoConfig(source,
                new Cluster(clusterName),
                node(coordinator, adminUser),
                node(standby, adminUser),
                new Greenplum(greenplum.path("home", adminUser),
                        greenplum.version("version"),
                        adminUser,
                        greenplum.matching("database", Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}"),
                                "a database name")),
                vip(vip),
                new Heartbeat(heartbeat.duration("interval"), heartbeat.duration("timeout"),
                        heartbeat.integer("failure_threshold", 1, 1000)),
                new Witnesses(witnesses.hosts("hosts"), witnesses.quorum("quorum")),
                new Promotion(promotion.optionalLong("max_lag_bytes")),
                new Ssh(sshUser, ssh.integer("port", 1, 65535),
                        ssh.path("identity_file", sshUser),
                        ssh.path("known_hosts", sshUser),
                        ssh.duration("connect_timeout")),
                new Alerts(alerts.bool("syslog"), alerts.bool("wall"), alerts.duration("repeat"),
                        alerts.optionalText("command")),
                new State(state.path("directory", adminUser)),
                api(api),
                arbiter(arbiter, adminUser, clusterName));
    }

    /** No arbiter section: gpfo decides from its own evidence, exactly as without etcd. */
    private Optional<GpfoConfig.Arbiter> arbiter(Section section, String adminUser, String clusterName) {
        if (!section.present) {
            return Optional.empty();
        }
        Optional<Path> certFile = section.optionalPath("cert_file", adminUser);
        Optional<Path> keyFile = section.optionalPath("key_file", adminUser);
        Optional<GpfoConfig.ClientCertificate> certificate = Optional.empty();
        if (certFile.isPresent() != keyFile.isPresent()) {
            String missing = certFile.isPresent() ? "key_file" : "cert_file";
            error(section.mark, section.child(missing), "required with " + (certFile.isPresent() ? "cert_file" : "key_file")
                    + ": a client certificate needs both");
        } else if (certFile.isPresent()) {
            certificate = Optional.of(new GpfoConfig.ClientCertificate(certFile.get(), keyFile.get()));
        }
        Optional<String> user = section.optionalText("user");
        Optional<String> password = section.optionalText("password");
        Optional<GpfoConfig.Credentials> credentials = Optional.empty();
        if (user.isPresent() != password.isPresent()) {
            error(section.mark, section.child(user.isPresent() ? "password" : "user"), "required with "
                    + (user.isPresent() ? "user" : "password") + ": etcd authentication needs both");
        } else if (user.isPresent()) {
            credentials = Optional.of(new GpfoConfig.Credentials(user.get(), password.get()));
        }
        String prefix = section.has("prefix") ? section.matching("prefix", Pattern.compile("/([A-Za-z0-9_.-]+/)*"),
                "a key prefix that starts and ends with '/', such as /gpfo/greenplum/")
                : clusterName == null ? null : GpfoConfig.Arbiter.defaultPrefix(clusterName);
        return Optional.of(new GpfoConfig.Arbiter(section.urls("endpoints"), section.optionalPath("ca_file", adminUser),
                certificate, credentials, prefix, section.duration("ttl")));
    }

    /** No api section: no endpoint. The addresses are required, so nothing listens everywhere by default. */
    private Optional<Api> api(Section section) {
        if (!section.present) {
            return Optional.empty();
        }
        return Optional.of(new Api(section.addresses("listen"), section.integer("port", 1, 65535)));
    }

    private Node node(Section section, String adminUser) {
        return new Node(section.host("host"), section.hosts("extra_addresses"),
                section.integer("port", 1, 65535),
                section.path("data_directory", adminUser));
    }

    private Vip vip(Section section) {
        Integer prefix = null;
        boolean hasPrefix = section.has("prefix");
        boolean hasNetmask = section.has("netmask");
        if (hasPrefix && hasNetmask) {
            error(section.markOf("netmask"), section.child("netmask"), "give either prefix or netmask, not both");
        } else if (hasPrefix) {
            prefix = section.integer("prefix", 1, 32);
        } else if (hasNetmask) {
            Ipv4 mask = section.ipv4("netmask");
            if (mask != null) {
                prefix = mask.asPrefix().orElse(null);
                if (prefix == null || prefix == 0) {
                    error(section.markOf("netmask"), section.child("netmask"),
                            "not a contiguous netmask such as 255.255.252.0");
                    prefix = null;
                }
            }
        } else if (section.present) {
            error(section.mark, section.path, "required key missing: prefix (e.g. 22) or netmask (e.g. 255.255.252.0)");
        }
        String interfaceName = section.interfaceName("interface");
        // the old scripts' convention: the VIP's alias is <nic>:0
        String label = section.has("label") ? section.text("label")
                : interfaceName == null ? null : interfaceName + ":0";
        return new Vip(section.ipv4("address"), prefix == null ? -1 : prefix, interfaceName, label,
                section.ipv4("gateway"), section.integer("arp_count", 1, 100));
    }

    private Section rootSection(YamlTree.Node root) {
        Mark start = new Mark(1, 1);
        if (root == null) {
            error(start, "", "the file is empty; it needs at least coordinator, standby and vip");
            return new Section("", start, Map.of(), false);
        }
        if (!(root instanceof MapNode map)) {
            error(root.mark(), "", "expected a mapping of sections (cluster, coordinator, standby, vip, …), got "
                    + root.kind());
            return new Section("", root.mark(), Map.of(), false);
        }
        return new Section("", map.mark(), map.entries(), true);
    }

    /** The keys of one mapping; unknown keys are reported when it is opened. */
    final class Section {
        final String path;
        final Mark mark;
        final Map<String, Entry> entries;
        final boolean present;

        Section(String path, Mark mark, Map<String, Entry> entries, boolean present) {
            this.path = path;
            this.mark = mark;
            this.entries = entries;
            this.present = present;
            List<String> known = KEYS.get(path);
            entries.forEach((key, entry) -> {
                marks.put(child(key), entry.keyMark());
                if (!known.contains(key)) {
                    error(entry.keyMark(), child(key), "unknown key (known: " + String.join(", ", known) + ")");
                }
            });
        }

        String child(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        Mark markOf(String key) {
            Entry entry = entries.get(key);
            return entry == null ? mark : entry.value().mark();
        }

        Section section(String key, boolean required) {
            Entry entry = entries.get(key);
            if (entry == null || (entry.value() instanceof Scalar scalar && scalar.isNull())) {
                if (required && present) {
                    error(mark, child(key), "required section missing");
                }
                return new Section(child(key), mark, Map.of(), false);
            }
            if (!(entry.value() instanceof MapNode map)) {
                error(entry.value().mark(), child(key), "expected a mapping of keys ("
                        + String.join(", ", KEYS.get(child(key))) + "), got " + entry.value().kind());
                return new Section(child(key), entry.value().mark(), Map.of(), false);
            }
            return new Section(child(key), map.mark(), map.entries(), true);
        }

        /** The key's default from {@link ConfigKeys}; null when it is required or has none. */
        String fallback(String key) {
            return ConfigKeys.defaultOf(child(key));
        }

        /** The scalar text of a key; the default when absent (no default = required). */
        String text(String key) {
            String fallback = fallback(key);
            Entry entry = entries.get(key);
            if (entry == null) {
                if (fallback == null && present) {
                    error(mark, child(key), "required key missing");
                }
                return fallback;
            }
            if (!(entry.value() instanceof Scalar scalar) || scalar.isNull()) {
                error(entry.value().mark(), child(key), "expected a value, got " + entry.value().kind());
                return null;
            }
            if (scalar.text().isBlank()) {
                error(scalar.mark(), child(key), "must not be empty");
                return null;
            }
            return scalar.text().strip();
        }

        String matching(String key, Pattern pattern, String expected) {
            String value = text(key);
            if (value != null && !pattern.matcher(value).matches()) {
                error(markOf(key), child(key), "'" + value + "' is not valid; expected " + expected);
                return null;
            }
            return value;
        }

        String userName(String key) {
            return matching(key, USER_NAME, "a Unix user name such as gpadmin");
        }

        String interfaceName(String key) {
            return matching(key, INTERFACE, "a network interface name such as ens160 (at most 15 characters)");
        }

        String host(String key) {
            String value = text(key);
            return value == null ? null : checkedHost(value, markOf(key), child(key));
        }

        private String checkedHost(String value, Mark at, String keyPath) {
            boolean looksLikeAddress = value.matches("[0-9.]+");
            boolean valid = looksLikeAddress ? Ipv4.parse(value).isPresent() : HOST_NAME.matcher(value).matches();
            if (!valid) {
                error(at, keyPath, "'" + value + "' is not a host name or IPv4 address");
                return null;
            }
            return value;
        }

        Ipv4 ipv4(String key) {
            String value = text(key);
            if (value == null) {
                return null;
            }
            Optional<Ipv4> address = Ipv4.parse(value);
            if (address.isEmpty()) {
                error(markOf(key), child(key), "'" + value + "' is not an IPv4 address (expected a.b.c.d)");
                return null;
            }
            return address.get();
        }

        /** A whole number from min to max; its default, or 0 for a key without one, when absent or wrong. */
        int integer(String key, int min, int max) {
            int fallback = fallback(key) == null ? 0 : Integer.parseInt(fallback(key));
            Entry entry = entries.get(key);
            if (entry == null) {
                return fallback;
            }
            Long value = wholeNumber(key, entry);
            if (value == null) {
                return fallback;
            }
            if (value < min || value > max) {
                error(entry.value().mark(), child(key), value + " is out of range; expected " + min + " to " + max);
                return fallback;
            }
            return value.intValue();
        }

        OptionalLong optionalLong(String key) {
            Entry entry = entries.get(key);
            if (entry == null || (entry.value() instanceof Scalar scalar && scalar.isNull())) {
                return OptionalLong.empty();
            }
            Long value = wholeNumber(key, entry);
            if (value != null && value < 0) {
                error(entry.value().mark(), child(key), "must be 0 or more bytes, or null for no limit");
                return OptionalLong.empty();
            }
            return value == null ? OptionalLong.empty() : OptionalLong.of(value);
        }

        private Long wholeNumber(String key, Entry entry) {
            if (entry.value() instanceof Scalar scalar && !scalar.isNull() && scalar.text().strip().matches("-?\\d{1,18}")) {
                return Long.parseLong(scalar.text().strip());
            }
            error(entry.value().mark(), child(key), "expected a whole number, got " + describe(entry.value()));
            return null;
        }

        boolean bool(String key) {
            boolean fallback = Boolean.parseBoolean(fallback(key));
            Entry entry = entries.get(key);
            if (entry == null) {
                return fallback;
            }
            if (entry.value() instanceof Scalar scalar && !scalar.isNull()) {
                switch (scalar.text().strip()) {
                    case "true":
                        return true;
                    case "false":
                        return false;
                    default:
                        break;
                }
            }
            error(entry.value().mark(), child(key), "expected true or false, got " + describe(entry.value()));
            return fallback;
        }

        Duration duration(String key) {
            String value = text(key);
            if (value == null) {
                return null;
            }
            Optional<Duration> duration = Durations.parse(value);
            if (duration.isEmpty()) {
                error(markOf(key), child(key), "'" + value + "' is not a duration; " + Durations.EXPECTED);
                return null;
            }
            return duration.get();
        }

        /** An absolute path; {@code ~} and {@code ~user} expand to a home directory from the user database. */
        Path path(String key, String defaultUser) {
            String value = text(key);
            if (value == null) {
                return null;
            }
            Matcher tilde = HOME_PREFIX.matcher(value);
            if (tilde.matches()) {
                String user = tilde.group(1) != null ? tilde.group(1) : defaultUser;
                Optional<Path> home = user == null ? Optional.empty() : homeOf.apply(user);
                if (home.isEmpty()) {
                    String who = user == null ? "the user" : "user " + user;
                    error(markOf(key), child(key), has(key)
                            ? "cannot expand '~' in '" + value + "': " + who + " has no home directory here; write an absolute path"
                            : "the default '" + value + "' needs the home directory of " + who
                                    + ", who does not exist here; create the user or set " + child(key) + " to an absolute path");
                    return null;
                }
                String rest = tilde.group(2) == null ? "" : tilde.group(2).substring(1);
                return home.get().resolve(rest).normalize();
            }
            if (!value.startsWith("/")) {
                error(markOf(key), child(key), "'" + value + "' must be an absolute path (starting with / or ~)");
                return null;
            }
            return Path.of(value).normalize();
        }

        GreenplumVersion version(String key) {
            String value = text(key);
            if (value == null) {
                return null;
            }
            return GreenplumVersion.parse(value).orElseGet(() -> {
                error(markOf(key), child(key), "'" + value + "' is not a version; expected auto, 6 or 7");
                return null;
            });
        }

        /** A path that has no default: empty when the key is not written. */
        Optional<Path> optionalPath(String key, String defaultUser) {
            Entry entry = entries.get(key);
            if (entry == null || (entry.value() instanceof Scalar scalar && scalar.isNull())) {
                return Optional.empty();
            }
            return Optional.ofNullable(path(key, defaultUser));
        }

        /** A required, non-empty list of http:// or https:// URLs with a host and a port, none twice; null when any is wrong. */
        List<java.net.URI> urls(String key) {
            Entry entry = entries.get(key);
            if (entry == null) {
                if (present) {
                    error(mark, child(key), "required key missing");
                }
                return null;
            }
            if (!(entry.value() instanceof ListNode list) || list.items().isEmpty()) {
                error(entry.value().mark(), child(key), "expected a list of URLs such as [https://sdw1:2379], got "
                        + describe(entry.value()));
                return null;
            }
            return distinctItems(key, list, this::endpoint, "is not an etcd endpoint; expected http://host:port or"
                    + " https://host:port");
        }

        /** Each item of a list parsed, none twice; null when any is wrong (each wrong item reported as "ITEM {@code invalid}"). */
        private <T> List<T> distinctItems(String key, ListNode list, java.util.function.Function<String, Optional<T>> parse,
                String invalid) {
            List<T> values = new ArrayList<>();
            boolean valid = true;
            for (int i = 0; i < list.items().size(); i++) {
                YamlTree.Node item = list.items().get(i);
                String itemPath = child(key) + "[" + i + "]";
                Optional<T> value = item instanceof Scalar scalar && !scalar.isNull()
                        ? parse.apply(scalar.text().strip()) : Optional.empty();
                if (value.isEmpty()) {
                    error(item.mark(), itemPath, describe(item) + " " + invalid);
                    valid = false;
                } else if (values.contains(value.get())) {
                    error(item.mark(), itemPath, "'" + value.get() + "' is listed twice");
                    valid = false;
                } else {
                    values.add(value.get());
                    marks.put(itemPath, item.mark());
                }
            }
            return valid ? List.copyOf(values) : null;
        }

        private Optional<java.net.URI> endpoint(String text) {
            try {
                java.net.URI url = new java.net.URI(text);
                boolean schemeOk = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
                boolean bare = url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/");
                return schemeOk && url.getHost() != null && url.getPort() > 0 && bare && url.getQuery() == null
                        && url.getUserInfo() == null ? Optional.of(url) : Optional.empty();
            } catch (java.net.URISyntaxException e) {
                return Optional.empty();
            }
        }

        Optional<String> optionalText(String key) {
            Entry entry = entries.get(key);
            if (entry == null || (entry.value() instanceof Scalar scalar && scalar.isNull())) {
                return Optional.empty();
            }
            return Optional.ofNullable(text(key));
        }

        List<String> hosts(String key) {
            Entry entry = entries.get(key);
            if (entry == null || (entry.value() instanceof Scalar scalar && scalar.isNull())) {
                return List.of();
            }
            if (!(entry.value() instanceof ListNode list)) {
                error(entry.value().mark(), child(key), "expected a list of hosts such as [sdw1, sdw2], got "
                        + describe(entry.value()));
                return List.of();
            }
            List<String> hosts = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                YamlTree.Node item = list.items().get(i);
                String itemPath = child(key) + "[" + i + "]";
                if (!(item instanceof Scalar scalar) || scalar.isNull() || scalar.text().isBlank()) {
                    error(item.mark(), itemPath, "expected a host name or IPv4 address, got " + describe(item));
                    continue;
                }
                String host = checkedHost(scalar.text().strip(), item.mark(), itemPath);
                if (host != null && hosts.contains(host)) {
                    error(item.mark(), itemPath, "'" + host + "' is listed twice");
                } else if (host != null) {
                    hosts.add(host);
                    marks.put(itemPath, item.mark());
                }
            }
            return List.copyOf(hosts);
        }

        /** One IPv4 address or a list of them (required, not empty, none twice); null when any is wrong. */
        List<Ipv4> addresses(String key) {
            Entry entry = entries.get(key);
            if (!(entry != null && entry.value() instanceof ListNode list)) {
                Ipv4 single = ipv4(key);
                return single == null ? null : List.of(single);
            }
            if (list.items().isEmpty()) {
                error(list.mark(), child(key), "expected at least one IPv4 address");
                return null;
            }
            return distinctItems(key, list, Ipv4::parse, "is not an IPv4 address (expected a.b.c.d)");
        }

        Quorum quorum(String key) {
            String value = text(key);
            if (value == null) {
                return null;
            }
            if (value.equals("majority")) {
                return Quorum.MAJORITY;
            }
            if (value.equals("all")) {
                return Quorum.ALL;
            }
            if (value.matches("\\d{1,4}")) {
                return Quorum.of(Integer.parseInt(value));
            }
            error(markOf(key), child(key), "'" + value + "' is not a quorum; expected majority, all or a number");
            return null;
        }
    }

    private static String describe(YamlTree.Node node) {
        return node instanceof Scalar scalar && !scalar.isNull() ? "'" + scalar.text() + "'" : node.kind();
    }
}
