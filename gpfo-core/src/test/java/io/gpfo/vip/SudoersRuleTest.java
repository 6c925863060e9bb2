package io.gpfo.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.config.GpfoConfig;
import io.gpfo.config.Ipv4;
import io.gpfo.port.CommandResult;
import io.gpfo.port.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SudoersRuleTest {

    private final GpfoConfig.Vip vip = new GpfoConfig.Vip(Ipv4.parse("172.16.200.100").orElseThrow(), 22, "ens160", "ens160:0",
            Ipv4.parse("172.16.200.2").orElseThrow(), 3);
    private final String rule = SudoersRule.render("gpadmin", new VipCommands(vip, "/usr/sbin/ip", "/usr/sbin/arping"));

    @Test
    void allowsExactlyTheVipCommandsWithEscapedArguments() {
        assertThat(rule).isEqualTo("""
                # gpfo: lets gpadmin move the VIP on this host (the peer's agent does it over SSH).
                # Written by gpfo install; exactly these commands, nothing else. Check with: visudo -cf <file>
                Defaults:gpadmin !requiretty
                gpadmin ALL=(root) NOPASSWD: /usr/sbin/ip addr add 172.16.200.100/22 dev ens160 label ens160\\:0, \\
                    /usr/sbin/ip addr del 172.16.200.100/22 dev ens160, \\
                    /usr/sbin/arping -U -c 3 -I ens160 -s 172.16.200.100 172.16.200.100, \\
                    /usr/sbin/arping -U -c 1 -I ens160 -s 172.16.200.100 172.16.200.100, \\
                    /usr/sbin/arping -D -c 1 -w 1 -I ens160 172.16.200.100
                """);
    }

    @Test
    void visudoAcceptsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gpfo");
        Files.writeString(file, rule);

        CommandResult visudo = new ProcessRunner().run(Duration.ofSeconds(10), "visudo", "-cf", file.toString());

        assertThat(visudo.exitCode()).as(visudo.stdout() + visudo.stderr()).isZero();
    }
}
