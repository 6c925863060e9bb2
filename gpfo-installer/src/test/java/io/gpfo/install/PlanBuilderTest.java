package io.gpfo.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpfo.install.HostFacts.SysvRegistration;
import io.gpfo.install.Step.Check;
import io.gpfo.install.Step.Directory;
import io.gpfo.install.Step.File;
import io.gpfo.install.Step.Run;
import io.gpfo.install.Step.Symlink;
import io.gpfo.install.Step.When;
import io.gpfo.port.Scripts;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Install and uninstall plans per host and init system: what is made, with which owner and mode, in which order. */
class PlanBuilderTest {

    private static final PlanBuilder.Settings SETTINGS = new PlanBuilder.Settings("0.1.0", "/opt/gpfo/build",
            "cluster: {name: lab}\n", "gpadmin", "/var/lib/gpfo", List.of("man1/gpfo.1", "man1/gpfo-status.1", "man5/gpfo.yaml.5"));

    private static final Run STALE_MAN_LINKS_SWEEP = new Run(PlanBuilder.manLinks("-xtype l -delete"),
            new When.Unless(PlanBuilder.noManLinks("-xtype l"), "no stale man page links"));

    private static PlanBuilder.Host host(String name, boolean local, InitSystem init, SysvRegistration registration) {
        return new PlanBuilder.Host(name, local, local ? "this host" : "over SSH as gpadmin, as root through sudo -n", init,
                "gpadmin", registration, init == InitSystem.SYSTEMD, "the sudoers rule\n");
    }

    private static <T extends Step> List<T> steps(HostPlan plan, Class<T> type) {
        return plan.steps().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Optional<File> file(HostPlan plan, String path) {
        return steps(plan, File.class).stream().filter(file -> file.path().equals(path)).findFirst();
    }

    private static List<String> commands(HostPlan plan) {
        return steps(plan, Run.class).stream().map(Run::display).toList();
    }

    @Test
    void bothInitSystemsGetTheSameFilesOwnedAndModedAsTheDesignSays() {
        for (InitSystem init : InitSystem.values()) {
            HostPlan plan = PlanBuilder.install(SETTINGS, host("smdw", false, init, SysvRegistration.UPDATE_RC_D));

            assertThat(plan.steps()).startsWith(
                    new Directory("/opt/gpfo", Optional.of(Attributes.root(0755))),
                    new Step.Tree("/opt/gpfo/0.1.0", "/opt/gpfo/build"),
                    new Symlink("/opt/gpfo/current", "/opt/gpfo/0.1.0"),
                    new Directory("/usr/local/bin", Optional.empty()),
                    new Symlink("/usr/local/bin/gpfo", "/opt/gpfo/current/bin/gpfo"),
                    new Directory("/etc/bash_completion.d", Optional.empty()),
                    new Symlink("/etc/bash_completion.d/gpfo", "/opt/gpfo/current/share/bash-completion/completions/gpfo"),
                    new Directory("/usr/local/share/man/man1", Optional.empty()),
                    new Symlink("/usr/local/share/man/man1/gpfo-status.1", "/opt/gpfo/current/share/man/man1/gpfo-status.1"),
                    new Symlink("/usr/local/share/man/man1/gpfo.1", "/opt/gpfo/current/share/man/man1/gpfo.1"),
                    new Directory("/usr/local/share/man/man5", Optional.empty()),
                    new Symlink("/usr/local/share/man/man5/gpfo.yaml.5", "/opt/gpfo/current/share/man/man5/gpfo.yaml.5"),
                    STALE_MAN_LINKS_SWEEP,
                    new Directory("/etc/gpfo", Optional.of(Attributes.root(0755))),
                    new File("/etc/gpfo/gpfo.yaml", "cluster: {name: lab}\n", new Attributes("root", "gpadmin", 0640), Check.NONE),
                    new Directory("/var/lib/gpfo", Optional.of(new Attributes("gpadmin", "gpadmin", 0750))),
                    new Directory("/etc/sudoers.d", Optional.empty()),
                    new File("/etc/sudoers.d/gpfo", "the sudoers rule\n", Attributes.root(0440), Check.SUDOERS));
        }
    }

    @Test
    void systemdGetsTheUnitThenReloadEnableRestartStart() {
        HostPlan plan = PlanBuilder.install(SETTINGS, host("mdw", true, InitSystem.SYSTEMD, SysvRegistration.CHKCONFIG));

        assertThat(file(plan, Layout.UNIT)).hasValueSatisfying(unit -> {
            assertThat(unit.attributes()).isEqualTo(Attributes.root(0644));
            assertThat(unit.content()).isEqualTo(Scripts.load(getClass(), "gpfo.service.golden"));
        });
        assertThat(file(plan, Layout.INIT_SCRIPT)).isEmpty();
        assertThat(steps(plan, Run.class)).containsExactly(STALE_MAN_LINKS_SWEEP,
                new Run(List.of("/opt/gpfo/0.1.0/bin/gpfo", "class-archive"), new When.IfChanged(List.of("/opt/gpfo/0.1.0"))),
                new Run(List.of("systemctl", "daemon-reload"), new When.IfChanged(List.of(Layout.UNIT))),
                new Run(List.of("systemctl", "enable", "gpfo.service"),
                        new When.Unless(List.of("systemctl", "is-enabled", "--quiet", "gpfo.service"), "already enabled")),
                new Run(List.of("systemctl", "restart", "gpfo.service"), new When.IfChanged(List.of())),
                new Run(List.of("systemctl", "start", "gpfo.service"),
                        new When.Unless(List.of("systemctl", "is-active", "--quiet", "gpfo.service"), "already running")));
        assertThat(plan.lines().get(0)).isEqualTo("  on mdw (this host; init: systemd):");
    }

    @Test
    void sysvGetsARootOwnedInitScriptRegisteredTheHostsWay() {
        HostPlan chkconfig = PlanBuilder.install(SETTINGS, host("smdw", false, InitSystem.SYSV, SysvRegistration.CHKCONFIG));
        HostPlan debian = PlanBuilder.install(SETTINGS, host("smdw", false, InitSystem.SYSV, SysvRegistration.UPDATE_RC_D));
        HostPlan bare = PlanBuilder.install(SETTINGS, host("smdw", false, InitSystem.SYSV, SysvRegistration.RC_LINKS));

        for (HostPlan plan : List.of(chkconfig, debian, bare)) {
            assertThat(file(plan, Layout.INIT_SCRIPT)).hasValueSatisfying(script -> {
                assertThat(script.attributes()).as("root runs it: root's, not group/world writable").isEqualTo(Attributes.root(0755));
                assertThat(script.content()).isEqualTo(Scripts.load(getClass(), "gpfo.init.golden"));
            });
            assertThat(file(plan, Layout.UNIT)).isEmpty();
            assertThat(commands(plan)).endsWith("/etc/init.d/gpfo restart", "/etc/init.d/gpfo start");
        }
        assertThat(commands(chkconfig)).startsWith(STALE_MAN_LINKS_SWEEP.display(), "/opt/gpfo/0.1.0/bin/gpfo class-archive", "chkconfig --add gpfo");
        assertThat(commands(debian)).startsWith(STALE_MAN_LINKS_SWEEP.display(), "/opt/gpfo/0.1.0/bin/gpfo class-archive", "update-rc.d gpfo defaults");
        assertThat(steps(bare, Symlink.class).stream().filter(link -> link.path().startsWith("/etc/rc")).map(Symlink::path))
                .containsExactly("/etc/rc2.d/S99gpfo", "/etc/rc3.d/S99gpfo", "/etc/rc4.d/S99gpfo", "/etc/rc5.d/S99gpfo",
                        "/etc/rc0.d/K01gpfo", "/etc/rc1.d/K01gpfo", "/etc/rc6.d/K01gpfo");
        assertThat(steps(bare, Symlink.class)).allMatch(link -> !link.path().startsWith("/etc/rc") || link.target().equals("../init.d/gpfo"));
        assertThat(debian.lines().get(0)).isEqualTo("  on smdw (over SSH as gpadmin, as root through sudo -n; init: sysv,"
                + " registered with update-rc.d):");
    }

    @Test
    void thePlanPrintsOneLinePerStep() {
        HostPlan plan = PlanBuilder.install(SETTINGS, host("smdw", false, InitSystem.SYSTEMD, SysvRegistration.RC_LINKS));
        InstallPlan whole = new InstallPlan("gpfo install plan:", List.of(plan), List.of("gpfo status"));

        assertThat(whole.lines()).hasSize(1 + 1 + plan.steps().size() + 2);
        assertThat(whole.lines()).contains(
                "    file       /etc/gpfo/gpfo.yaml                          root:gpadmin 0640",
                "    file       /etc/sudoers.d/gpfo                          root:root 0440 (checked with visudo -cf before it is"
                        + " moved into place)",
                "    symlink    /usr/local/bin/gpfo                          -> /opt/gpfo/current/bin/gpfo",
                "    directory  /usr/local/bin                               (exists)",
                "    run        systemctl daemon-reload   (if /etc/systemd/system/gpfo.service changed)",
                "    run        systemctl restart gpfo.service   (if anything above changed)",
                "    run        systemctl start gpfo.service   (unless already running)",
                "  then:", "    gpfo status");
    }

    /** The whole printed plan of both hosts, as checked by hand: any change in what a plan holds or how it reads fails. */
    @Test
    void theWholePlanIsTheGoldenOne() {
        InstallPlan plan = new InstallPlan("gpfo install plan: gpfo 0.1.0 from /opt/gpfo/build", List.of(
                PlanBuilder.install(SETTINGS, host("smdw", false, InitSystem.SYSV, SysvRegistration.RC_LINKS)),
                PlanBuilder.install(SETTINGS, host("mdw", true, InitSystem.SYSTEMD, SysvRegistration.CHKCONFIG))),
                List.of("gpfo status"));
        InstallPlan uninstall = new InstallPlan("gpfo uninstall plan:", List.of(
                PlanBuilder.uninstall(host("smdw", false, InitSystem.SYSV, SysvRegistration.UPDATE_RC_D), true),
                PlanBuilder.uninstall(host("mdw", true, InitSystem.SYSTEMD, SysvRegistration.CHKCONFIG), false)),
                List.of());

        assertThat(String.join("\n", plan.lines()) + "\n").isEqualTo(Scripts.load(getClass(), "install-plan.golden"));
        assertThat(String.join("\n", uninstall.lines()) + "\n").isEqualTo(Scripts.load(getClass(), "uninstall-plan.golden"));
    }

    @Test
    void uninstallStopsTheServiceBeforeRemovingFilesAndKeepsTheState() {
        HostPlan systemd = PlanBuilder.uninstall(host("mdw", true, InitSystem.SYSTEMD, SysvRegistration.UPDATE_RC_D), false);

        assertThat(systemd.steps().stream().map(Step::describe).map(line -> line.replaceAll("\\s+", " "))).containsExactly(
                "run systemctl disable --now gpfo.service (unless /etc/systemd/system/gpfo.service is not there)",
                "remove /etc/systemd/system/gpfo.service",
                "run systemctl daemon-reload (if /etc/systemd/system/gpfo.service changed)",
                "run /etc/init.d/gpfo stop (unless /etc/init.d/gpfo is not there)",
                "run update-rc.d -f gpfo remove (unless no rc links are left)",
                "run sh -c rm -f /etc/rc[0-6S].d/[SK][0-9][0-9]gpfo /etc/rc.d/rc[0-6].d/[SK][0-9][0-9]gpfo (unless no rc links are left)",
                "remove /etc/init.d/gpfo",
                "remove /var/run/gpfo",
                "remove /etc/sudoers.d/gpfo",
                "remove /etc/gpfo",
                "remove /usr/local/bin/gpfo (if it links to /opt/gpfo/current/bin/gpfo)",
                "remove /etc/bash_completion.d/gpfo (if it links to /opt/gpfo/current/share/bash-completion/completions/gpfo)",
                "run sh -c for d in /usr/local/share/man/man1 /usr/local/share/man/man5; do [ ! -d \"$d\" ] || find \"$d\""
                        + " -maxdepth 1 -type l -lname '/opt/gpfo/current/share/man/*' -delete || exit 1; done"
                        + " (unless no gpfo man page links are left)",
                "remove /opt/gpfo");
        assertThat(systemd.steps()).noneMatch(step -> step.managedPath().equals(Optional.of("/var/lib/gpfo")));

        HostPlan sysv = PlanBuilder.uninstall(host("smdw", false, InitSystem.SYSV, SysvRegistration.CHKCONFIG), true);
        assertThat(commands(sysv)).doesNotContain("systemctl daemon-reload").contains("chkconfig --del gpfo");
        assertThat(sysv.steps()).noneMatch(step -> step.managedPath().equals(Optional.of("/etc/gpfo")));
    }

    @Test
    void onlyGpfosOwnManPagesInSectionsOneAndFiveAreLinked() {
        assertThatThrownBy(() -> new PlanBuilder.Settings("0.1.0", "d", "", "gpadmin", "/var/lib/gpfo", List.of("man8/gpfo.8")))
                .hasMessageContaining("not a gpfo man page");
        assertThatThrownBy(() -> new PlanBuilder.Settings("0.1.0", "d", "", "gpadmin", "/var/lib/gpfo", List.of("man1/ls.1")))
                .hasMessageContaining("not a gpfo man page");
        assertThatThrownBy(() -> new PlanBuilder.Settings("0.1.0", "d", "", "gpadmin", "/var/lib/gpfo",
                List.of("man1/../../../etc/gpfo.1"))).hasMessageContaining("not a gpfo man page");
    }

    /** The sweeps run for real on a scratch tree: only links into the distribution's share/man are touched. */
    @Test
    void theManLinkSweepsRemoveOnlyGpfosLinks(@TempDir Path root) throws Exception {
        Path man = root.resolve("man");
        Path source = root.resolve("current/share/man");
        Files.createDirectories(source.resolve("man1"));
        Files.createDirectories(man.resolve("man1"));
        Files.writeString(source.resolve("man1/gpfo.1"), "page");
        Files.createSymbolicLink(man.resolve("man1/gpfo.1"), source.resolve("man1/gpfo.1"));
        Files.createSymbolicLink(man.resolve("man1/gpfo-gone.1"), source.resolve("man1/gpfo-gone.1"));
        Files.createSymbolicLink(man.resolve("man1/other.1"), root.resolve("elsewhere/other.1"));
        Files.writeString(man.resolve("man1/gpfo-local.1"), "a site's own file, not a link");

        assertThat(run(PlanBuilder.noManLinks(man.toString(), source.toString(), "-xtype l"))).as("a stale link").isNotZero();
        assertThat(run(PlanBuilder.manLinks(man.toString(), source.toString(), "-xtype l -delete"))).isZero();
        assertThat(man.resolve("man1")).isDirectoryNotContaining(path -> path.endsWith("gpfo-gone.1"));
        assertThat(Files.exists(man.resolve("man1/gpfo.1"), LinkOption.NOFOLLOW_LINKS)).as("a live page stays").isTrue();
        assertThat(run(PlanBuilder.noManLinks(man.toString(), source.toString(), "-xtype l"))).isZero();

        assertThat(run(PlanBuilder.noManLinks(man.toString(), source.toString(), ""))).isNotZero();
        assertThat(run(PlanBuilder.manLinks(man.toString(), source.toString(), "-delete"))).isZero();
        try (var left = Files.list(man.resolve("man1"))) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("other.1", "gpfo-local.1");
        }
        assertThat(run(PlanBuilder.noManLinks(man.toString(), source.toString(), ""))).isZero();
    }

    private static int run(List<String> argv) throws Exception {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        int exit = process.waitFor();
        assertThat(output.lines()).as("the sweep prints nothing but found links").allMatch(line -> line.contains("/man1/"));
        return exit;
    }

    @Test
    void aVersionMustBeAPlainDirectoryName() {
        assertThatThrownBy(() -> new PlanBuilder.Settings("../etc", "d", "", "gpadmin", "/var/lib/gpfo", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlanBuilder.Settings("current", "d", "", "gpadmin", "/var/lib/gpfo", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Step.Remove.of("/opt")).hasMessageContaining("top-level");
        assertThatThrownBy(() -> Step.Remove.of("/opt/gpfo/../..")).isInstanceOf(IllegalArgumentException.class);
    }
}
