package io.gpfo.config;

import io.gpfo.config.YamlTree.Mark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules that involve more than one key (docs/design.md §9). Runs on a draft in which any value
 * that failed on its own is null, and skips the rules that such a value takes part in, so one
 * typo gives one error, not a cascade.
 */
final class ConfigValidator {

    private final String file;
    private final Map<String, Mark> marks;
    private final List<ConfigError> errors = new ArrayList<>();

    ConfigValidator(String file, Map<String, Mark> marks) {
        this.file = file;
        this.marks = marks;
    }

    List<ConfigError> validate(GpfoConfig draft) {
        hosts(draft);
        vip(draft);
        heartbeat(draft.heartbeat());
        witnesses(draft);
        api(draft);
        draft.arbiter().ifPresent(arbiter -> arbiter(arbiter, draft.heartbeat()));
        if (draft.alerts().repeat() != null && draft.alerts().repeat().isZero()) {
            error("alerts.repeat", "must be longer than 0s");
        }
        if (draft.ssh().connectTimeout() != null && draft.ssh().connectTimeout().isZero()) {
            error("ssh.connect_timeout", "must be longer than 0s");
        }
        return errors;
    }

    private void hosts(GpfoConfig draft) {
        String coordinator = draft.coordinator().host();
        String standby = draft.standby().host();
        if (coordinator != null && coordinator.equalsIgnoreCase(standby)) {
            error("standby.host", "is the same host as coordinator.host ('" + standby
                    + "'); the standby must be another host");
        }
    }

    private void vip(GpfoConfig draft) {
        GpfoConfig.Vip vip = draft.vip();
        if (vip.address() != null) {
            for (String section : List.of("coordinator", "standby")) {
                GpfoConfig.Node node = section.equals("coordinator") ? draft.coordinator() : draft.standby();
                for (String address : node.heartbeatAddresses()) {
                    if (vip.address().toString().equals(address)) {
                        error("vip.address", vip.address() + " is also the address of " + section
                                + "; the VIP must be an address of its own");
                    }
                }
            }
        }
        if (vip.gateway() != null && vip.address() != null && vip.prefix() > 0) {
            if (vip.gateway().equals(vip.address())) {
                error("vip.gateway", "is the VIP itself; give the subnet's router, which answers ICMP");
            } else if (!vip.gateway().sameSubnet(vip.address(), vip.prefix())) {
                error("vip.gateway", vip.gateway() + " is not in the VIP's subnet " + vip.address().network(vip.prefix())
                        + "/" + vip.prefix());
            }
        }
        if (vip.label() != null && vip.interfaceName() != null) {
            if (vip.label().length() > 15) {
                error("vip.label", "'" + vip.label() + "' is longer than 15 characters (the kernel's limit)");
            }
            if (!vip.label().equals(vip.interfaceName()) && !vip.label().startsWith(vip.interfaceName() + ":")) {
                error("vip.label", "'" + vip.label() + "' must start with the interface name, e.g. "
                        + vip.interfaceName() + ":0");
            }
        }
    }

    private void heartbeat(GpfoConfig.Heartbeat heartbeat) {
        Duration interval = heartbeat.interval();
        Duration timeout = heartbeat.timeout();
        if (interval != null && interval.isZero()) {
            error("heartbeat.interval", "must be longer than 0s");
        }
        if (timeout != null && timeout.isZero()) {
            error("heartbeat.timeout", "must be longer than 0s");
        } else if (timeout != null && interval != null && timeout.compareTo(interval) > 0) {
            error("heartbeat.timeout", valueOf("heartbeat.timeout", timeout) + " must not exceed heartbeat.interval "
                    + valueOf("heartbeat.interval", interval) + ", or rounds would overlap");
        }
    }

    private void witnesses(GpfoConfig draft) {
        GpfoConfig.Witnesses witnesses = draft.witnesses();
        List<String> hosts = witnesses.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            String witness = hosts.get(i).toLowerCase(Locale.ROOT);
            for (GpfoConfig.Node node : List.of(draft.coordinator(), draft.standby())) {
                boolean isNode = node.heartbeatAddresses().stream()
                        .anyMatch(address -> address != null && address.toLowerCase(Locale.ROOT).equals(witness));
                if (isNode) {
                    error("witnesses.hosts[" + i + "]", "'" + hosts.get(i)
                            + "' is a coordinator host; witnesses must be other hosts (e.g. segment hosts)");
                }
            }
        }
        GpfoConfig.Quorum quorum = witnesses.quorum();
        if (quorum != null && quorum.count() > 0 && quorum.count() > hosts.size()) {
            error("witnesses.quorum", quorum.count() + " votes needed but only " + hosts.size()
                    + " witness(es) configured");
        } else if (quorum != null && quorum.text().equals("0")) {
            error("witnesses.quorum", "0 is not a quorum; use majority, all or a number from 1 to the witness count");
        }
    }

    private void api(GpfoConfig draft) {
        List<Ipv4> listen = draft.api().map(GpfoConfig.Api::listen).orElse(null);
        if (listen == null) {
            return;
        }
        String keyPath = "api.listen";
        for (int i = 0; i < listen.size(); i++) {
            String itemPath = listen.size() == 1 && !marks.containsKey(keyPath + "[0]") ? keyPath : keyPath + "[" + i + "]";
            if (listen.get(i).equals(draft.vip().address())) {
                error(itemPath, "'" + listen.get(i) + "' is the VIP, which moves between the hosts; listen on each host's"
                        + " own address");
            } else if (listen.get(i).equals(GpfoConfig.Api.EVERY_ADDRESS) && listen.size() > 1) {
                error(itemPath, "0.0.0.0 (every address of the host) cannot be listed with other addresses");
            }
        }
    }

    private void arbiter(GpfoConfig.Arbiter arbiter, GpfoConfig.Heartbeat heartbeat) {
        if (arbiter.endpoints() != null) {
            long secure = arbiter.endpoints().stream().filter(url -> url.getScheme().equals("https")).count();
            if (secure > 0 && secure < arbiter.endpoints().size()) {
                error("arbiter.endpoints", "mixes http:// and https://; every member is reached the same way");
            } else if (secure == 0 && (arbiter.caFile().isPresent() || arbiter.clientCertificate().isPresent())) {
                error(arbiter.caFile().isPresent() ? "arbiter.ca_file" : "arbiter.cert_file", "is set but the endpoints are"
                        + " http://; TLS needs https:// endpoints");
            }
        }
        Duration ttl = arbiter.ttl();
        if (ttl == null) {
            return;
        }
        if (ttl.toMillis() % 1000 != 0 || ttl.isZero()) {
            error("arbiter.ttl", valueOf("arbiter.ttl", ttl) + " is not a whole number of seconds above 0 (etcd leases"
                    + " count seconds)");
        } else if (heartbeat.interval() != null && heartbeat.timeout() != null
                && ttl.compareTo(GpfoConfig.Arbiter.minimumTtl(heartbeat)) < 0) {
            error("arbiter.ttl", valueOf("arbiter.ttl", ttl) + " is below 4 x heartbeat.interval + heartbeat.timeout = "
                    + Durations.format(GpfoConfig.Arbiter.minimumTtl(heartbeat)) + ": the primary would stop serving"
                    + " before it had two tries to renew its lease");
        }
    }

    private void error(String path, String message) {
        // a defaulted key has no line of its own: point at the nearest enclosing key that has one
        String at = path;
        while (!marks.containsKey(at) && at.contains(".")) {
            at = at.substring(0, at.lastIndexOf('.'));
        }
        Mark mark = marks.getOrDefault(at, new Mark(0, 0));
        errors.add(new ConfigError(file, mark.line(), mark.column(), path, message));
    }

    /** A value as the file has it, or "(default 1s)" when the key is not written: then the fix is to write it. */
    private String valueOf(String path, Duration value) {
        return marks.containsKey(path) ? Durations.format(value) : "(default " + Durations.format(value) + ")";
    }
}
