package io.gpfo.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.port.CommandResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VIP at the end of install (up here only when no host holds it), and where uninstall leaves it. */
class VipStepTest {

    @TempDir
    Path dir;

    private FlowFixture hosts;

    @BeforeEach
    void hosts() throws Exception {
        hosts = new FlowFixture(dir);
    }

    private VipStep.Result step() throws Exception {
        return VipStep.upUnlessHeld(hosts.ports());
    }

    @Test
    void itComesUpHereWhenNoHostHoldsIt() throws Exception {
        assertThat(step()).isEqualTo(VipStep.Result.BROUGHT_UP).matches(VipStep.Result::ok);
        assertThat(hosts.log.lines()).containsExactly("OK      VIP 10.77.0.100/24 up on mdw (eth0:0), 3 gratuitous ARP sent");
        assertThat(hosts.localCommands).anyMatch(command -> command.startsWith("ip addr add 10.77.0.100/24 dev eth0"));
    }

    @Test
    void alreadyUpHereIsLeftAlone() throws Exception {
        hosts.vipHere = true;

        assertThat(step()).isEqualTo(VipStep.Result.ALREADY_UP_HERE).matches(VipStep.Result::ok);
        assertThat(hosts.log.lines()).containsExactly("OK      unchanged VIP 10.77.0.100/24 on mdw: already up");
        assertThat(hosts.localCommands).noneMatch(command -> command.startsWith("ip addr add"));
    }

    @Test
    void onThePeerItIsLeftThere() throws Exception {
        hosts.vipOnPeer = Optional.of(true);

        assertThat(step()).isEqualTo(VipStep.Result.LEFT_ON_PEER).matches(VipStep.Result::ok);
        assertThat(hosts.log.lines()).containsExactly("        the VIP 10.77.0.100/24 is on smdw: left there (gpfo status"
                + " shows whether that is right)");
        assertThat(hosts.localCommands).noneMatch(command -> command.startsWith("ip addr add"));
    }

    @Test
    void whenThePeerCannotBeAskedButNobodyAnswersArpItComesUp() throws Exception {
        hosts.vipOnPeer = Optional.empty();

        assertThat(step()).isEqualTo(VipStep.Result.BROUGHT_UP).matches(VipStep.Result::ok);
        assertThat(hosts.localCommands).anyMatch(command -> command.startsWith("ip addr add 10.77.0.100/24 dev eth0"));
    }

    @Test
    void whenTheStandbyIsAPrimaryTooItIsNotBroughtUp() throws Exception {
        hosts.standbyDatabase = hosts.database;

        assertThat(step()).isEqualTo(VipStep.Result.REFUSED).matches(result -> !result.ok());
        assertThat(hosts.log.lines()).containsExactly("FAILED  VIP 10.77.0.100/24 up on mdw: smdw is a primary too: two"
                + " coordinators, touching nothing; when that is resolved: gpfo vip up");
        assertThat(hosts.localCommands).noneMatch(command -> command.startsWith("ip addr add"));
    }

    @Test
    void whenNoArpProbeCanBeTakenItIsNotBroughtUp() throws Exception {
        hosts.duplicateProbe = new CommandResult(2, "", "arping: unknown iface eth0", false, Duration.ZERO);

        assertThat(step()).isEqualTo(VipStep.Result.UNKNOWN).matches(result -> !result.ok());
        assertThat(hosts.log.lines()).containsExactly("FAILED  VIP 10.77.0.100/24 up on mdw: no ARP probe of the VIP could be"
                + " taken from this host, so it was not brought up; when that is resolved: gpfo vip up");
        assertThat(hosts.localCommands).noneMatch(command -> command.startsWith("ip addr add"));
    }

    @Test
    void anotherHostAnsweringArpKeepsItDown() throws Exception {
        hosts.duplicateProbe = new CommandResult(1, "Unicast reply from 10.77.0.100 [02:00:00:00:00:99]  0.6ms\n", "", false,
                Duration.ZERO);

        assertThat(step()).isEqualTo(VipStep.Result.REFUSED).matches(result -> !result.ok());
        assertThat(hosts.log.lines()).containsExactly("FAILED  VIP 10.77.0.100/24 up on mdw: another host (02:00:00:00:00:99)"
                + " answers ARP for the VIP; when that is resolved: gpfo vip up");
        assertThat(hosts.localCommands).noneMatch(command -> command.startsWith("ip addr add"));
    }

    @Test
    void aFailedAddIsReported() throws Exception {
        hosts.vipAdd = new CommandResult(2, "", "RTNETLINK answers: File exists", false, Duration.ZERO);

        assertThat(step()).isEqualTo(VipStep.Result.FAILED).matches(result -> !result.ok());
        assertThat(hosts.log.lines()).singleElement().asString().startsWith("FAILED  VIP 10.77.0.100/24 up on mdw: ip addr add"
                + " failed: ").endsWith("; then: gpfo vip up");
    }

    @Test
    void holdersNameEveryHostThatHoldsItAndThoseThatCouldNotBeAsked() throws Exception {
        InstallPorts ports = hosts.ports();
        assertThat(VipStep.holders(ports.vip(), "mdw", "smdw")).isEqualTo("on no host");
        hosts.vipHere = true;
        hosts.vipOnPeer = Optional.of(true);
        assertThat(VipStep.holders(ports.vip(), "mdw", "smdw")).isEqualTo("on mdw, smdw");
        hosts.vipOnPeer = Optional.empty();
        assertThat(VipStep.holders(ports.vip(), "mdw", "smdw")).isEqualTo("on mdw, smdw?");
    }
}
