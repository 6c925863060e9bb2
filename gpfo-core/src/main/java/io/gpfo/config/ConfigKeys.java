package io.gpfo.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every section and key of gpfo.yaml with its default and its rule: the single source of the
 * reader's key lists ("unknown key (known: …)") and defaults, and of the gpfo.yaml(5) man page.
 */
public final class ConfigKeys {

    /**
     * @param defaultValue as written in the file; null when the key is required or has no default
     *                     (then {@code rule} says which)
     */
    public record Key(String section, String name, String defaultValue, String rule) {
        public String path() {
            return section.isEmpty() ? name : section + "." + name;
        }
    }

    public record Section(String name, boolean required, String about) {
    }

    public static final List<Section> SECTIONS = List.of(
            new Section("cluster", false, "The cluster's name."),
            new Section("coordinator", true, "The host that is the primary coordinator at install time (mdw)."),
            new Section("standby", true, "The standby coordinator host (smdw); the same keys as coordinator."),
            new Section("greenplum", false, "Where Greenplum is installed and who runs it."),
            new Section("vip", true, "The virtual IP clients connect to; only the acting primary holds it."),
            new Section("heartbeat", false, "How often and how patiently the agents probe each other."),
            new Section("witnesses", false, "Hosts (usually segment hosts) asked over SSH whether they reach the"
                    + " coordinator before the standby promotes."),
            new Section("promotion", false, "Limits on automatic promotion."),
            new Section("ssh", false, "How gpfo reaches the peer and the witnesses; host keys are always verified."),
            new Section("alerts", false, "Where alerts go."),
            new Section("state", false, "The agent's journal."),
            new Section("api", false, "The agent's read-only HTTP endpoint for Prometheus and load balancers; without this"
                    + " section there is none."),
            new Section("arbiter", false, "An etcd v3 cluster holding the leader key under a lease: the standby promotes only"
                    + " once it takes the key, and a primary that cannot renew it stops serving; without this section gpfo"
                    + " decides from its own evidence alone."));

    public static final List<Key> KEYS = Stream.of(
            List.of(new Key("cluster", "name", "greenplum", "letters, digits, '_', '.', '-', at most 64; shown in alerts"
                    + " and as GPFO_CLUSTER")),
            node("coordinator"),
            node("standby"),
            List.of(new Key("greenplum", "home", "/usr/local/greenplum-db", "an absolute path (or ~); holds"
                            + " greenplum_path.sh (or cloudberry-env.sh) and bin/gpactivatestandby"),
                    new Key("greenplum", "version", "auto", "auto (read from postgres --gp-version), 6 or 7"),
                    new Key("greenplum", "admin_user", "gpadmin", "a Unix user name; owns the database, Greenplum"
                            + " commands run as this user"),
                    new Key("greenplum", "database", "postgres", "the database used for SQL probes")),
            List.of(new Key("vip", "address", null, "required; an IPv4 address of its own, not a host's"),
                    new Key("vip", "prefix", null, "the VIP's prefix length, 1 to 32; give prefix or netmask, not both"),
                    new Key("vip", "netmask", null, "a contiguous netmask such as 255.255.252.0, instead of prefix"),
                    new Key("vip", "interface", null, "required; the NIC that carries the VIP and sends gratuitous"
                            + " ARP (at most 15 characters)"),
                    new Key("vip", "label", null, "default INTERFACE:0; at most 15 characters, starts with the"
                            + " interface name"),
                    new Key("vip", "gateway", null, "required; the subnet's router, in the VIP's subnet: the standby"
                            + " pings it to tell whether it is the isolated one"),
                    new Key("vip", "arp_count", "3", "1 to 100 gratuitous ARPs sent after the VIP comes up")),
            List.of(new Key("heartbeat", "interval", "1s", "a duration above 0: one round of probes per interval"),
                    new Key("heartbeat", "timeout", "1s", "a duration above 0 and at most heartbeat.interval: the"
                            + " per-probe timeout"),
                    new Key("heartbeat", "failure_threshold", "3", "1 to 1000 consecutive failed rounds before the"
                            + " coordinator counts as dead")),
            List.of(new Key("witnesses", "hosts", null, "a list of host names or IPv4 addresses, none listed twice,"
                            + " none a coordinator host; default none"),
                    new Key("witnesses", "quorum", "majority", "majority, all, or a number from 1 to the number of"
                            + " witnesses")),
            List.of(new Key("promotion", "max_lag_bytes", null, "0 or more bytes: refuse automatic promotion beyond"
                    + " this replication lag; null (the default) for no limit")),
            List.of(new Key("ssh", "user", "gpadmin", "a Unix user name"),
                    new Key("ssh", "port", "22", "1 to 65535"),
                    new Key("ssh", "identity_file", "~/.ssh/id_rsa", "an absolute path; ~ is the home of ssh.user"),
                    new Key("ssh", "known_hosts", "~/.ssh/known_hosts", "an absolute path; ~ is the home of ssh.user"),
                    new Key("ssh", "connect_timeout", "3s", "a duration above 0")),
            List.of(new Key("alerts", "syslog", "true", "true or false: warnings and worse to syslog (tag gpfo,"
                            + " facility user)"),
                    new Key("alerts", "wall", "true", "true or false: broadcast to logged-in terminals on both hosts"),
                    new Key("alerts", "repeat", "60s", "a duration above 0: how often a persisting condition is"
                            + " repeated"),
                    new Key("alerts", "command", null, "a command run through /bin/sh with GPFO_EVENT, GPFO_SEVERITY,"
                            + " GPFO_MESSAGE, GPFO_CLUSTER and GPFO_HOST (the host that raised the alert); default none")),
            List.of(new Key("state", "directory", "/var/lib/gpfo", "an absolute path (or ~ of greenplum.admin_user):"
                    + " the agent's journal and lock")),
            List.of(new Key("api", "listen", null, "required in the section; one IPv4 address or a list (each host binds"
                            + " the ones it has); 0.0.0.0 only when written, alone; never the VIP"),
                    new Key("api", "port", "9188", "1 to 65535")),
            List.of(new Key("arbiter", "endpoints", null, "required in the section; a list of etcd client URLs"
                            + " (http:// or https://host:port), none twice, e.g. [https://sdw1:2379, https://sdw2:2379,"
                            + " https://sdw3:2379]"),
                    new Key("arbiter", "ca_file", null, "an absolute path to the PEM CA certificate that signed the members'"
                            + " certificates; default the Java runtime's trust store; only with https endpoints"),
                    new Key("arbiter", "cert_file", null, "an absolute path to the PEM client certificate; with key_file"
                            + " and https endpoints; without a Common Name when etcd authentication is on (etcd's"
                            + " gateway refuses one with a CN: user and password name the etcd user)"),
                    new Key("arbiter", "key_file", null, "an absolute path to the client certificate's PEM key, unencrypted"
                            + " PKCS#8 (BEGIN PRIVATE KEY); with cert_file"),
                    new Key("arbiter", "user", null, "an etcd user (with password); default none"),
                    new Key("arbiter", "password", null, "the etcd user's password; with user"),
                    new Key("arbiter", "prefix", null, "default /gpfo/<cluster.name>/; starts and ends with '/': the"
                            + " leader key is <prefix>leader"),
                    new Key("arbiter", "ttl", "5s", "whole seconds, at least 4 x heartbeat.interval + heartbeat.timeout:"
                            + " the primary renews every round, gets two tries within the lease, and stops serving two"
                            + " intervals and one timeout before the lease can expire")))
            .flatMap(List::stream).toList();

    private static List<Key> node(String section) {
        return List.of(new Key(section, "host", null, "required; a host name or IPv4 address, used for SSH and the"
                        + " heartbeat; coordinator and standby differ"),
                new Key(section, "extra_addresses", null, "a list of more heartbeat paths to the same host, e.g."
                        + " [mdw-1, 10.0.1.11]; default none"),
                new Key(section, "port", "5432", "the database port (PGPORT), 1 to 65535"),
                new Key(section, "data_directory", ConfigReader.DEFAULT_DATA_DIRECTORY, "an absolute path (GP6"
                        + " installs often use /data/master/gpseg-1)"));
    }

    private ConfigKeys() {
    }

    /** Section name ("" for the top level) to its key names, in file order. */
    static Map<String, List<String>> names() {
        Map<String, List<String>> names = new LinkedHashMap<>();
        names.put("", SECTIONS.stream().map(Section::name).toList());
        for (Key key : KEYS) {
            names.computeIfAbsent(key.section(), section -> new ArrayList<>()).add(key.name());
        }
        names.replaceAll((section, keys) -> List.copyOf(keys));
        return names;
    }

    /** The default of a key as the file would have it; null for a required key or one without a default. */
    static String defaultOf(String path) {
        return KEYS.stream().filter(key -> key.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no such key: " + path)).defaultValue();
    }
}
