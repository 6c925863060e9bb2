package io.gpfo.install;

import io.gpfo.config.GpfoConfig;
import io.gpfo.vip.SudoersRule;
import io.gpfo.vip.VipCommands;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code /etc/sudoers.d/gpfo} of one host: {@link SudoersRule} for the VIP commands that
 * reach it. The peer's agent sends them over SSH as ssh.user with the peer's tool paths; the
 * host's own agent falls back to sudo as the admin user with its own paths. On a usual pair
 * both are the same user and paths, and the drop-in is exactly what {@code gpfo sudoers} prints.
 */
public final class SudoersDropIn {

    private SudoersDropIn() {
    }

    public static String render(GpfoConfig config, HostFacts self, HostFacts peer) {
        Set<String> users = new LinkedHashSet<>(List.of(config.ssh().user(), config.greenplum().adminUser()));
        Set<List<String>> tools = new LinkedHashSet<>(List.of(tools(peer), tools(self)));
        return users.stream()
                .flatMap(user -> tools.stream().map(paths -> SudoersRule.render(user,
                        new VipCommands(config.vip(), paths.get(0), paths.get(1)))))
                .collect(Collectors.joining("\n"));
    }

    private static List<String> tools(HostFacts facts) {
        return List.of(facts.tool("ip").orElse("/usr/sbin/ip"), facts.tool("arping").orElse("/usr/sbin/arping"));
    }
}
