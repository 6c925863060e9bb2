package io.gpfo.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.Executables;
import io.gpfo.port.ProcessRunner;
import io.gpfo.vip.SudoersRule;
import io.gpfo.vip.VipCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sudoers drop-in each host gets: exactly the VIP commands the peer's agent sends it. */
class SudoersDropInTest {

    private static final HostFacts DEBIAN = HostFacts.parse("tool.ip=/usr/sbin/ip\ntool.arping=/usr/bin/arping\n");
    private static final HostFacts RHEL = HostFacts.parse("tool.ip=/sbin/ip\ntool.arping=/sbin/arping\n");

    @TempDir
    Path dir;

    private static GpfoConfig config(String ssh) throws Exception {
        return new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false).parse("""
                coordinator: {host: mdw}
                standby: {host: smdw}
                vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                """ + ssh, Path.of("gpfo.yaml"));
    }

    @Test
    void aUsualPairGetsExactlyTheRuleGpfoSudoersPrints() throws Exception {
        GpfoConfig config = config("");

        String dropIn = SudoersDropIn.render(config, DEBIAN, DEBIAN);

        assertThat(dropIn).isEqualTo(SudoersRule.render("gpadmin", new VipCommands(config.vip(), "/usr/sbin/ip", "/usr/bin/arping")));
        assertThat(dropIn).contains("gpadmin ALL=(root) NOPASSWD: /usr/sbin/ip addr add 10.77.0.100/24 dev eth0 label eth0\\:0, \\\n"
                + "    /usr/sbin/ip addr del 10.77.0.100/24 dev eth0, \\\n"
                + "    /usr/bin/arping -U -c 3 -I eth0 -s 10.77.0.100 10.77.0.100, \\\n"
                + "    /usr/bin/arping -U -c 1 -I eth0 -s 10.77.0.100 10.77.0.100, \\\n"
                + "    /usr/bin/arping -D -c 1 -w 1 -I eth0 10.77.0.100\n");
        assertThat(dropIn.lines().filter(line -> line.contains("NOPASSWD"))).hasSize(1);
    }

    @Test
    void thePeersToolPathsAndAnotherSshUserAreAllowedToo() throws Exception {
        String dropIn = SudoersDropIn.render(config("ssh: {user: gpssh}\n"), DEBIAN, RHEL);

        assertThat(dropIn.lines().filter(line -> line.contains("NOPASSWD"))).containsExactly(
                "gpssh ALL=(root) NOPASSWD: /sbin/ip addr add 10.77.0.100/24 dev eth0 label eth0\\:0, \\",
                "gpssh ALL=(root) NOPASSWD: /usr/sbin/ip addr add 10.77.0.100/24 dev eth0 label eth0\\:0, \\",
                "gpadmin ALL=(root) NOPASSWD: /sbin/ip addr add 10.77.0.100/24 dev eth0 label eth0\\:0, \\",
                "gpadmin ALL=(root) NOPASSWD: /usr/sbin/ip addr add 10.77.0.100/24 dev eth0 label eth0\\:0, \\");
    }

    @Test
    void visudoAcceptsIt() throws Exception {
        Optional<Path> visudo = Executables.fromPath(System.getenv("PATH")).find("visudo");
        assumeTrue(visudo.isPresent(), "visudo is not installed");
        Path file = dir.resolve("gpfo");
        Files.writeString(file, SudoersDropIn.render(config("ssh: {user: gpssh}\n"), DEBIAN, RHEL));

        CommandResult checked = new ProcessRunner().run(new Command(List.of(visudo.get().toString(), "-cf", file.toString()),
                Map.of(), null, Duration.ofSeconds(10)));

        assertThat(checked.exitCode()).as(checked.stdout() + checked.stderr()).isZero();
    }
}
