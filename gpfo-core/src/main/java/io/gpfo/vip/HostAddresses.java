package io.gpfo.vip;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * This host's IPv4 addresses, as {@code ip -o -4 addr show} would list them. A port: the
 * agent asks every round whether it holds the VIP, and asking the kernel in-process costs
 * microseconds where forking {@code ip} cost milliseconds and a child process per second.
 */
@FunctionalInterface
public interface HostAddresses {

    /** @throws IllegalStateException when the kernel's interface list cannot be read */
    List<InterfaceAddress> list();

    /** The kernel's list through {@link NetworkInterface}; a labelled address (eth0:0) is a sub-interface there. */
    static HostAddresses system() {
        return () -> {
            try {
                List<InterfaceAddress> addresses = new ArrayList<>();
                for (NetworkInterface device : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    List<NetworkInterface> labels = Collections.list(device.getSubInterfaces());
                    for (java.net.InterfaceAddress entry : device.getInterfaceAddresses()) {
                        if (entry.getAddress() instanceof Inet4Address address) {
                            String label = labels.stream().filter(sub -> Collections.list(sub.getInetAddresses()).contains(address))
                                    .map(NetworkInterface::getName).findFirst().orElse(device.getName());
                            addresses.add(new InterfaceAddress(device.getName(), address.getHostAddress(),
                                    entry.getNetworkPrefixLength(), label));
                        }
                    }
                }
                return addresses;
            } catch (SocketException e) {
                throw new IllegalStateException("cannot list this host's network interfaces: " + e.getMessage(), e);
            }
        };
    }
}
