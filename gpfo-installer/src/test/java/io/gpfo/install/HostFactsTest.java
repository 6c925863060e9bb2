package io.gpfo.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpfo.install.HostFacts.SysvRegistration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** facts.sh output, init detection and the requirements judged from them. */
class HostFactsTest {

    private static final String DEBIAN = """
            systemd=no
            tool.ip=/usr/sbin/ip
            tool.arping=/usr/bin/arping
            tool.ping=/usr/bin/ping
            tool.logger=/usr/bin/logger
            tool.wall=/usr/bin/wall
            tool.visudo=/usr/sbin/visudo
            tool.tar=/usr/bin/tar
            tool.sha256sum=/usr/bin/sha256sum
            tool.install=/usr/bin/install
            tool.setsid=/usr/bin/setsid
            tool.runuser=/usr/sbin/runuser
            tool.systemctl=
            tool.chkconfig=
            tool.update-rc.d=/usr/sbin/update-rc.d
            tool.java=/usr/bin/java
            java.version=openjdk version "17.0.15" 2025-04-15
            user.group=gpadmin
            """;

    @Test
    void parsesWhatFactsShPrints() {
        HostFacts facts = HostFacts.parse(DEBIAN);

        assertThat(facts.systemdRunning()).isFalse();
        assertThat(facts.tool("arping")).contains("/usr/bin/arping");
        assertThat(facts.tool("systemctl")).isEmpty();
        assertThat(facts.javaMajor()).hasValue(17);
        assertThat(facts.adminGroup()).contains("gpadmin");
        assertThat(facts.sysvRegistration()).isEqualTo(SysvRegistration.UPDATE_RC_D);
        assertThat(facts.missing(HostFacts.REQUIRED)).isEmpty();
    }

    @Test
    void registrationFollowsTheHostsTools() {
        assertThat(HostFacts.parse("tool.chkconfig=/sbin/chkconfig\ntool.update-rc.d=/usr/sbin/update-rc.d\n").sysvRegistration())
                .isEqualTo(SysvRegistration.CHKCONFIG);
        assertThat(HostFacts.parse("systemd=no\n").sysvRegistration()).isEqualTo(SysvRegistration.RC_LINKS);
    }

    @Test
    void oldJavaAndOddGroupNames() {
        assertThat(HostFacts.parse("java.version=java version \"1.8.0_392\"\n").javaMajor()).hasValue(8);
        assertThat(HostFacts.parse("java.version=openjdk version \"21\" 2023-09-19\n").javaMajor()).hasValue(21);
        assertThat(HostFacts.parse("user.group=gp admin\n").adminGroup()).isEmpty();
    }

    @Test
    void initIsSystemdExactlyWhenItRunsUnlessOverridden() {
        assertThat(InitSystem.choose(Optional.empty(), true)).isEqualTo(InitSystem.SYSTEMD);
        assertThat(InitSystem.choose(Optional.empty(), false)).isEqualTo(InitSystem.SYSV);
        assertThat(InitSystem.choose(Optional.of(InitSystem.SYSV), true)).isEqualTo(InitSystem.SYSV);
        assertThat(InitSystem.parseChoice("auto")).isEmpty();
        assertThat(InitSystem.parseChoice("SysV")).contains(InitSystem.SYSV);
        assertThatThrownBy(() -> InitSystem.parseChoice("upstart")).hasMessageContaining("auto, systemd, sysv");
        assertThat(HostFacts.parse("systemd=yes\n").systemdRunning()).isTrue();
    }

    @Test
    void requirementsNameWhatIsMissingAndThePackageThatHasIt() {
        HostFacts bare = HostFacts.parse("systemd=no\ntool.ip=/usr/sbin/ip\n");

        List<Requirements.Problem> problems = Requirements.check("smdw", bare, "gpadmin", Optional.of(InitSystem.SYSTEMD), false);

        assertThat(problems).extracting(Requirements.Problem::what).containsExactly("tools on smdw", "java on smdw",
                "admin user on smdw", "init system on smdw");
        assertThat(problems.get(0).why()).startsWith("missing: arping, ping, logger, wall").endsWith("systemctl");
        assertThat(problems.get(0).fix()).contains("iputils-arping (RHEL: iputils)", "bsdutils (RHEL: util-linux)");
        assertThat(problems.get(3).fix()).isEqualTo("use --init sysv, or leave --init at auto");

        assertThat(Requirements.check("mdw", HostFacts.parse(DEBIAN), "gpadmin", Optional.empty(), false)).isEmpty();
        assertThat(Requirements.check("mdw", HostFacts.parse(DEBIAN.replace("\"17.", "\"11.")), "gpadmin", Optional.empty(),
                false)).extracting(Requirements.Problem::why).containsExactly("java 11 (openjdk version \"11.0.15\" 2025-04-15)"
                + " is older than 17");
        assertThat(Requirements.check("mdw", HostFacts.parse(DEBIAN.replace("tool.java=/usr/bin/java\n", "")
                .replaceAll("java.version=.*\n", "")), "gpadmin", Optional.empty(), true)).as("a bundled runtime").isEmpty();
    }

    @Test
    void systemdOlderThan229IsRefusedForTheUnitBecauseItIgnoresAmbientCapabilities() {
        String rhel7 = DEBIAN.replace("systemd=no", "systemd=yes").replace("tool.systemctl=", "tool.systemctl=/usr/bin/systemctl")
                + "systemd.version=systemd 219\n";
        HostFacts facts = HostFacts.parse(rhel7);
        assertThat(facts.systemdMajor()).hasValue(219);

        for (Optional<InitSystem> init : List.of(Optional.<InitSystem>empty(), Optional.of(InitSystem.SYSTEMD))) {
            assertThat(Requirements.check("smdw", facts, "gpadmin", init, false)).as("--init %s", init)
                    .containsExactly(new Requirements.Problem("systemd on smdw", "systemd 219 lacks AmbientCapabilities"
                            + " (needs 229+): the agent could not move the VIP", "use --init sysv"));
        }
        assertThat(Requirements.check("smdw", facts, "gpadmin", Optional.of(InitSystem.SYSV), false)).as("--init sysv").isEmpty();
        assertThat(Requirements.check("smdw", HostFacts.parse(rhel7.replace("systemd 219", "systemd 229")), "gpadmin",
                Optional.empty(), false)).isEmpty();
        assertThat(Requirements.check("smdw", HostFacts.parse(rhel7.replace("systemd 219", "systemd 252 (252.17-1~deb12u1)")),
                "gpadmin", Optional.empty(), false)).isEmpty();
        assertThat(HostFacts.parse("systemd.version=systemd 252 (252.17-1~deb12u1)\n").systemdMajor()).hasValue(252);
        assertThat(HostFacts.parse("systemd.version=\n").systemdMajor()).as("systemctl printed nothing").isEmpty();
        assertThat(HostFacts.parse("systemd.version=something else 12\n").systemdMajor()).isEmpty();
    }

    @Test
    void fileStatesAndManifests() {
        assertThat(FileState.parse("dir gpadmin gpadmin 750")).isEqualTo(FileState.directory(new Attributes("gpadmin", "gpadmin", 0750)));
        assertThat(FileState.parse("dir root staff 2775").attributes()).contains(new Attributes("root", "staff", 02775));
        assertThat(FileState.parse("link /opt/gpfo/0.1.0")).isEqualTo(FileState.symlink("/opt/gpfo/0.1.0"));
        assertThat(FileState.parse("missing\n")).isEqualTo(FileState.MISSING);
        assertThatThrownBy(() -> FileState.parse("file root root 644 nothex")).isInstanceOf(IllegalArgumentException.class);

        TreeManifest manifest = TreeManifest.parse("entries:\ndir ./bin\nexec ./bin/gpfo\nunsafe:\n./bin\n");
        assertThat(manifest.entries()).containsExactly("dir ./bin", "exec ./bin/gpfo");
        assertThat(manifest.unsafe()).containsExactly("./bin");
        assertThat(TreeManifest.parse("missing\n").exists()).isFalse();
        assertThat(manifest.differences(TreeManifest.parse("entries:\ndir ./bin\nfile ./bin/gpfo\nunsafe:\n"))).isEqualTo(2);
    }
}
