package io.gpfo.port;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** Host names to IPv4 addresses through the system resolver (/etc/hosts first). */
public final class Resolver {

    private Resolver() {
    }

    /** The IPv4 addresses of {@code host}; none if it is unknown. */
    public static List<String> ipv4(String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).filter(Inet4Address.class::isInstance)
                    .map(InetAddress::getHostAddress).toList();
        } catch (UnknownHostException e) {
            return List.of();
        }
    }
}
