package io.gpfo.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.config.GpfoConfig;
import io.gpfo.config.Ipv4;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VipTest {

    private static final String IP_OUTPUT = """
            2: eth0    inet 10.77.0.11/24 brd 10.77.0.255 scope global eth0\\       valid_lft forever preferred_lft forever
            2: eth0    inet 10.77.0.100/24 scope global secondary eth0:0\\       valid_lft forever preferred_lft forever
            3: ens160    inet 172.16.200.5/22 brd 172.16.203.255 scope global dynamic noprefixroute ens160\\       valid_lft 86000sec preferred_lft 86000sec
            4: veth1@if7    inet 192.168.5.1/30 scope global veth1\\       valid_lft forever preferred_lft forever
            """;

    private final GpfoConfig.Vip vip = new GpfoConfig.Vip(Ipv4.parse("10.77.0.100").orElseThrow(), 24, "eth0", "eth0:0",
            Ipv4.parse("10.77.0.1").orElseThrow(), 3);
    private final VipCommands commands = new VipCommands(vip, "/usr/sbin/ip", "/usr/sbin/arping");

    @Test
    void parsesIpAddrOutputWithLabels() {
        assertThat(InterfaceAddress.parse(IP_OUTPUT)).containsExactly(
                new InterfaceAddress("eth0", "10.77.0.11", 24, "eth0"),
                new InterfaceAddress("eth0", "10.77.0.100", 24, "eth0:0"),
                new InterfaceAddress("ens160", "172.16.200.5", 22, "ens160"),
                new InterfaceAddress("veth1", "192.168.5.1", 30, "veth1"));
        assertThat(InterfaceAddress.parse("")).isEmpty();
    }

    @Test
    void buildsTheExactCommandsOfTheDesign() {
        assertThat(commands.add()).containsExactly("/usr/sbin/ip", "addr", "add", "10.77.0.100/24", "dev", "eth0", "label", "eth0:0");
        assertThat(commands.delete()).containsExactly("/usr/sbin/ip", "addr", "del", "10.77.0.100/24", "dev", "eth0");
        assertThat(commands.announce()).containsExactly("/usr/sbin/arping", "-U", "-c", "3", "-I", "eth0", "-s", "10.77.0.100", "10.77.0.100");
        assertThat(commands.announceOnce()).containsExactly("/usr/sbin/arping", "-U", "-c", "1", "-I", "eth0", "-s", "10.77.0.100",
                "10.77.0.100");
        assertThat(commands.duplicateCheck()).containsExactly("/usr/sbin/arping", "-D", "-c", "1", "-w", "1", "-I", "eth0", "10.77.0.100");
        assertThat(commands.show()).containsExactly("/usr/sbin/ip", "-o", "-4", "addr", "show", "dev", "eth0");
    }

    @Test
    void findsTheVipInAListing() {
        assertThat(commands.holds(IP_OUTPUT)).isTrue();
        assertThat(commands.holds(IP_OUTPUT.lines().filter(line -> !line.contains(".100/")).reduce("", (a, b) -> a + b + "\n"))).isFalse();
        // 10.77.0.1000 does not exist, but 10.77.0.10 must not match 10.77.0.100 either
        assertThat(commands.holds("2: eth0    inet 10.77.0.10/24 scope global eth0\\ x\n")).isFalse();
    }

    @Test
    void theVipCountsOnlyOnTheConfiguredInterface() {
        assertThat(commands.holds(List.of(new InterfaceAddress("eth0", "10.77.0.100", 24, "eth0:0")))).isTrue();
        assertThat(commands.holds(List.of(new InterfaceAddress("eth1", "10.77.0.100", 24, "eth1")))).isFalse();
        assertThat(commands.holds(List.of())).isFalse();
    }

    @Test
    void readsThisHostsAddressesFromTheKernel() {
        assertThat(HostAddresses.system().list()).contains(new InterfaceAddress("lo", "127.0.0.1", 8, "lo"));
    }

    @Test
    void parsesArpingDuplicateDetection() {
        String reply = """
                ARPING 10.77.0.100 from 0.0.0.0 eth0
                Unicast reply from 10.77.0.100 [4A:1B:2C:3D:4E:5F]  0.623ms
                Sent 1 probes (1 broadcast(s))
                Received 1 response(s)
                """;
        assertThat(DuplicateProbe.parse(1, reply)).isEqualTo(new DuplicateProbe(true, java.util.Optional.of("4a:1b:2c:3d:4e:5f")));
        String silence = "ARPING 10.77.0.100 from 0.0.0.0 eth0\nSent 2 probes (2 broadcast(s))\nReceived 0 response(s)\n";
        assertThat(DuplicateProbe.parse(0, silence).answered()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''|0|mdw|NONE", "mdw|0|mdw|OK", "smdw|0|mdw|WRONG_HOLDER", "mdw,smdw|0|mdw|BOTH",
        "mdw|0|''|WRONG_HOLDER",
        // a host not asked may hold it too: neither ok nor none can be said
        "mdw|1|mdw|UNKNOWN", "''|1|mdw|UNKNOWN", "''|2|''|UNKNOWN"})
    void judgesTheVipState(String holders, int unasked, String primary, VipState expected) {
        List<String> list = holders.isEmpty() ? List.of() : List.of(holders.split(","));

        assertThat(VipState.of(list, unasked, primary.isEmpty() ? null : primary)).isEqualTo(expected);
        assertThat(expected.label()).isEqualTo(expected.name().toLowerCase());
    }
}
