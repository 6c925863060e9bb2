package io.gpfo.node;

import io.gpfo.config.GpfoConfig;
import io.gpfo.vip.InterfaceAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which configured host this process runs on, found by matching this host's interface
 * addresses against the configured hosts' addresses (docs/design.md §2) — never by trusting
 * {@code hostname}, which is often the same short name on cloned machines. The VIP is left out:
 * it moves, and holding it says nothing about which host this is.
 */
public final class LocalIdentity {

    private LocalIdentity() {
    }

    /**
     * @param addresses this host's interface addresses
     * @param resolve      addresses of a host name (the system resolver, /etc/hosts first)
     */
    public static Optional<NodeName> find(GpfoConfig config, List<InterfaceAddress> addresses, Function<String, List<String>> resolve) {
        String vip = config.vip().address().toString();
        Set<String> local = new LinkedHashSet<>();
        for (InterfaceAddress address : addresses) {
            if (!address.address().equals(vip) && !address.address().startsWith("127.")) {
                local.add(address.address());
            }
        }
        List<NodeName> matches = new ArrayList<>();
        for (NodeName name : NodeName.values()) {
            boolean mine = name.of(config).heartbeatAddresses().stream().map(resolve).flatMap(List::stream)
                    .anyMatch(local::contains);
            if (mine) {
                matches.add(name);
            }
        }
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    /** What to tell the operator when {@link #find} found nothing. */
    public static String notFoundMessage(GpfoConfig config, List<InterfaceAddress> addresses) {
        List<String> local = addresses.stream().map(InterfaceAddress::address)
                .filter(address -> !address.startsWith("127.")).toList();
        return "this host (addresses " + String.join(", ", local) + ") is neither coordinator.host ("
                + config.coordinator().host() + ") nor standby.host (" + config.standby().host()
                + "); run gpfo on one of them, or fix the host names in " + config.source();
    }
}
