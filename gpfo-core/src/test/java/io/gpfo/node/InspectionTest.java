package io.gpfo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpfo.config.ConfigLoader;
import io.gpfo.vip.InterfaceAddress;
import io.gpfo.config.GpfoConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InspectionTest {

    private static final String CONTROL = """
            --- pg_controldata
            pg_control version number:            1300
            Database cluster state:               in production
            Latest checkpoint's TimeLineID:       1
            """;

    @Test
    void runningPostmaster() {
        Inspection inspection = Inspection.parse("postmaster=running\npid=4242\nprocess-state=S\n" + CONTROL);

        assertThat(inspection.running()).isTrue();
        assertThat(inspection.stopped()).isFalse();
        assertThat(inspection.crashed()).isFalse();
        assertThat(inspection.pid()).hasValue(4242);
        assertThat(inspection.describe()).isEqualTo("postmaster running (pid 4242)");
    }

    @Test
    void stoppedPostmasterIsHung() {
        Inspection inspection = Inspection.parse("postmaster=running\npid=7\nprocess-state=T\n" + CONTROL);

        assertThat(inspection.stopped()).isTrue();
        assertThat(inspection.describe()).isEqualTo("postmaster stopped (SIGSTOP, pid 7)");
    }

    @Test
    void crashIsNoPostmasterWithAControlFileStillInProduction() {
        Inspection inspection = Inspection.parse("postmaster=not-running\n" + CONTROL);

        assertThat(inspection.crashed()).isTrue();
        assertThat(inspection.cleanlyStopped()).isFalse();
        assertThat(inspection.describe()).isEqualTo("no postmaster, crashed (in production)");
    }

    @Test
    void cleanStop() {
        Inspection inspection = Inspection.parse("postmaster=not-running\n" + CONTROL.replace("in production", "shut down"));

        assertThat(inspection.cleanlyStopped()).isTrue();
        assertThat(inspection.crashed()).isFalse();
    }

    @Test
    void missingDataDirectoryAndGarbage() {
        assertThat(Inspection.parse("postmaster=no-data-directory\n").postmaster()).isEqualTo(Inspection.Postmaster.NO_DATA_DIRECTORY);
        assertThat(Inspection.parse("postmaster=not-running\n--- pg_controldata\npg_controldata: error\n").controlData()).isEmpty();
        assertThatThrownBy(() -> Inspection.parse("bash: line 1: oops")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identityComesFromInterfaceAddressesNotFromTheVip() throws Exception {
        GpfoConfig config = new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false).parse("""
                coordinator: {host: mdw, extra_addresses: [mdw-ic]}
                standby: {host: smdw}
                vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                """, Path.of("gpfo.yaml"));
        Map<String, List<String>> dns = Map.of("mdw", List.of("10.77.0.11"), "mdw-ic", List.of("192.168.9.11"),
                "smdw", List.of("10.77.0.12"));
        String smdwHoldingVip = """
                1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever
                2: eth0    inet 10.77.0.12/24 brd 10.77.0.255 scope global eth0\\       valid_lft forever
                2: eth0    inet 10.77.0.100/24 scope global secondary eth0:0\\       valid_lft forever
                """;
        String mdwByInterconnect = "3: eth1    inet 192.168.9.11/24 scope global eth1\\       valid_lft forever\n";

        assertThat(LocalIdentity.find(config, InterfaceAddress.parse(smdwHoldingVip), host -> dns.getOrDefault(host, List.of()))).hasValue(NodeName.STANDBY);
        assertThat(LocalIdentity.find(config, InterfaceAddress.parse(mdwByInterconnect), host -> dns.getOrDefault(host, List.of())))
                .hasValue(NodeName.COORDINATOR);
        String elsewhere = "2: eth0    inet 10.77.0.50/24 scope global eth0\\ x\n";
        assertThat(LocalIdentity.find(config, InterfaceAddress.parse(elsewhere), host -> dns.getOrDefault(host, List.of()))).isEmpty();
        assertThat(LocalIdentity.notFoundMessage(config, InterfaceAddress.parse(elsewhere))).contains("10.77.0.50").contains("neither coordinator.host (mdw)");
    }
}
