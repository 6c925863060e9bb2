package io.gpfo.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpfo.install.HostFacts.SysvRegistration;
import io.gpfo.port.CommandResult;
import io.gpfo.testing.RecordingStepLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The installer's decisions on an in-memory host: act on differences only, stop at the first failure. */
class InstallerTest {

    private static final String MANIFEST = "entries:\ndir ./bin\nexec ./bin/gpfo\nabc  ./bin/gpfo\nunsafe:\n";
    private static final PlanBuilder.Settings SETTINGS = new PlanBuilder.Settings("0.1.0", "/opt/gpfo/build",
            "cluster: {name: lab}\n", "gpadmin", "/var/lib/gpfo", List.of("man1/gpfo.1", "man1/gpfo-status.1", "man5/gpfo.yaml.5"));

    private final FakeTarget host = new FakeTarget();
    private final RecordingStepLog log = new RecordingStepLog();
    private final Distribution distribution = new Distribution(Path.of("/opt/gpfo/build"), "0.1.0",
            command -> new CommandResult(0, MANIFEST, "", false, Duration.ZERO));
    private final Installer installer = new Installer(log, Optional.of(distribution));
    private boolean registered;
    private boolean running;

    InstallerTest() {
        // a SysV host: registration and the service's state follow the commands run
        host.answers = argv -> {
            String line = String.join(" ", argv);
            if (argv.equals(PlanBuilder.REGISTERED_PROBE)) {
                return registered ? FakeTarget.ok("") : FakeTarget.failed(1, "");
            }
            if (line.equals("update-rc.d gpfo defaults")) {
                registered = true;
            } else if (line.equals("/etc/init.d/gpfo status")) {
                return running ? FakeTarget.ok("gpfo is running (pid 42)") : FakeTarget.failed(3, "");
            } else if (line.equals("/etc/init.d/gpfo restart") || line.equals("/etc/init.d/gpfo start")) {
                running = true;
            }
            return FakeTarget.ok("");
        };
    }

    private static HostPlan plan(String sudoers) {
        return PlanBuilder.install(SETTINGS, new PlanBuilder.Host("smdw", false, "over SSH", InitSystem.SYSV, "gpadmin",
                SysvRegistration.UPDATE_RC_D, false, sudoers));
    }

    @Test
    void aFirstRunMakesEverythingAndASecondChangesNothing() throws Exception {
        Installer.HostOutcome first = installer.apply(plan("gpadmin rule\n"), host);

        List<String> unchangedFirst = log.lines().stream().filter(line -> line.startsWith("OK      unchanged ")).toList();
        assertThat(unchangedFirst).as("only the start after the restart, and the sweep of stale man page links")
                .satisfiesExactlyInAnyOrder(
                        line -> assertThat(line).isEqualTo("OK      unchanged /etc/init.d/gpfo start on smdw: already running"),
                        line -> assertThat(line).endsWith(" on smdw: no stale man page links"));
        assertThat(first.unchanged()).isEqualTo(unchangedFirst.size());
        assertThat(host.changes).contains("mkdir /opt/gpfo", "tree /opt/gpfo/0.1.0", "link /opt/gpfo/current",
                "link /usr/local/bin/gpfo", "write /etc/gpfo/gpfo.yaml", "mkdir /var/lib/gpfo", "write /etc/sudoers.d/gpfo",
                "write /etc/init.d/gpfo");
        assertThat(host.commands).containsSubsequence("update-rc.d gpfo defaults", "/etc/init.d/gpfo restart",
                "/etc/init.d/gpfo status");
        assertThat(log.lines()).contains("OK      created file /etc/gpfo/gpfo.yaml on smdw (root:gpadmin 0640)",
                "OK      created file /etc/sudoers.d/gpfo on smdw (root:root 0440, checked by visudo)",
                "OK      created directory /var/lib/gpfo on smdw (gpadmin:gpadmin 0750)",
                "OK      created tree /opt/gpfo/0.1.0 on smdw (3 entries, root:root, go-w)",
                "OK      ran /etc/init.d/gpfo restart on smdw",
                "OK      unchanged /etc/init.d/gpfo start on smdw: already running");

        host.changes.clear();
        host.commands.clear();
        log.clear();
        Installer.HostOutcome second = installer.apply(plan("gpadmin rule\n"), host);

        assertThat(second.changed()).isZero();
        assertThat(host.changes).isEmpty();
        assertThat(host.commands).doesNotContain("update-rc.d gpfo defaults", "/etc/init.d/gpfo restart",
                "/etc/init.d/gpfo start");
        assertThat(log.lines()).hasSize(plan("gpadmin rule\n").steps().size()).allMatch(line -> line.startsWith("OK      unchanged "));
        assertThat(log.lines()).contains("OK      unchanged file /etc/gpfo/gpfo.yaml on smdw",
                "OK      unchanged update-rc.d gpfo defaults on smdw: already registered for boot",
                "OK      unchanged /etc/init.d/gpfo restart on smdw: not needed, nothing above changed");
    }

    @Test
    void aChangedFileIsReplacedAndTheServiceRestartedNothingElse() throws Exception {
        installer.apply(plan("old rule\n"), host);
        host.changes.clear();
        host.commands.clear();
        log.clear();

        installer.apply(plan("new rule\n"), host);

        assertThat(host.changes).containsExactly("write /etc/sudoers.d/gpfo");
        assertThat(host.contents.get(Layout.SUDOERS)).isEqualTo("new rule\n");
        assertThat(host.commands).contains("/etc/init.d/gpfo restart").doesNotContain("update-rc.d gpfo defaults");
        assertThat(log.lines()).contains("OK      replaced file /etc/sudoers.d/gpfo on smdw (root:root 0440, checked by visudo)");
    }

    @Test
    void wrongOwnerOrModeIsFixedWithoutRewritingTheFile() throws Exception {
        installer.apply(plan("rule\n"), host);
        FileState config = host.files.get(Layout.CONFIG);
        host.files.put(Layout.CONFIG, FileState.file(new Attributes("gpadmin", "gpadmin", 0664), config.sha256().orElseThrow()));
        host.changes.clear();
        log.clear();

        installer.apply(plan("rule\n"), host);

        assertThat(host.changes).containsExactly("attributes /etc/gpfo/gpfo.yaml");
        assertThat(log.lines()).contains("OK      fixed file /etc/gpfo/gpfo.yaml on smdw: now root:gpadmin 0640, was gpadmin:gpadmin 0664");
    }

    @Test
    void aTreeThatIsNotRootsIsReplacedEvenWithTheSameFiles() throws Exception {
        host.trees.put("/opt/gpfo/0.1.0", new TreeManifest(true, distribution.manifest().entries(), List.of("./bin/gpfo")));

        installer.apply(plan("rule\n"), host);

        assertThat(host.changes).contains("tree /opt/gpfo/0.1.0");
        assertThat(log.lines()).contains("OK      replaced tree /opt/gpfo/0.1.0 on smdw (was not all root-owned and go-w, e.g. ./bin/gpfo)");
    }

    @Test
    void aFailedStepStopsThePlanAndSaysHowFarItGot() {
        host.failOn = Layout.SUDOERS;

        List<Step> steps = plan("rule\n").steps();
        assertThatThrownBy(() -> installer.apply(plan("rule\n"), host)).isInstanceOfSatisfying(InstallFailure.class, failure -> {
            assertThat(failure.host()).isEqualTo("smdw");
            assertThat(failure.step()).isInstanceOfSatisfying(Step.File.class, file -> assertThat(file.path()).isEqualTo(Layout.SUDOERS));
            assertThat(failure.done()).as("every step before the sudoers file, however many the plan has")
                    .isEqualTo(steps.indexOf(failure.step())).isPositive();
            assertThat(failure.changed()).as("all but the sweep of stale man page links, which found none")
                    .isEqualTo(failure.done() - 1);
        });
        assertThat(log.lines().get(log.lines().size() - 1)).isEqualTo("FAILED  file /etc/sudoers.d/gpfo on smdw: cannot write"
                + " /etc/sudoers.d/gpfo: exit 1: No space left on device");
        assertThat(host.changes).doesNotContain("write /etc/init.d/gpfo");
        assertThat(host.commands).as("only the probe for stale man page links ran").containsExactly(
                String.join(" ", PlanBuilder.noManLinks("-xtype l")));
    }

    @Test
    void somethingElseInTheWayIsNotClobbered() {
        host.files.put(Layout.COMMAND_LINK, FileState.file(Attributes.root(0755), "0".repeat(64)));

        assertThatThrownBy(() -> installer.apply(plan("rule\n"), host)).isInstanceOf(InstallFailure.class)
                .hasMessage("/usr/local/bin/gpfo is a file (root:root 0755), not a symbolic link; move it away and run gpfo"
                        + " install again");
        assertThat(host.changes).doesNotContain("link /usr/local/bin/gpfo");
    }

    @Test
    void aFailingCommandStopsThePlanWithItsOutput() {
        host.answers = argv -> String.join(" ", argv).equals("update-rc.d gpfo defaults")
                ? FakeTarget.failed(1, "update-rc.d: error: initscript does not exist")
                : argv.contains("class-archive") ? FakeTarget.ok("class archive: made")
                : argv.equals(PlanBuilder.noManLinks("-xtype l")) ? FakeTarget.ok("") : FakeTarget.failed(1, "");

        assertThatThrownBy(() -> installer.apply(plan("rule\n"), host)).isInstanceOf(InstallFailure.class)
                .hasMessage("exit 1: update-rc.d: error: initscript does not exist");
    }

    @Test
    void uninstallRemovesOnlyWhatIsThereAndLeavesAForeignCommandAlone() throws Exception {
        host.files.put(Layout.OPT, FileState.directory(Attributes.root(0755)));
        host.files.put(Layout.COMMAND_LINK, FileState.symlink("/usr/lib/other/gpfo"));
        host.files.put(Layout.SUDOERS, FileState.file(Attributes.root(0440), "0".repeat(64)));
        host.answers = argv -> argv.get(0).equals("test") ? FakeTarget.ok("") : FakeTarget.ok("");
        HostPlan uninstall = PlanBuilder.uninstall(new PlanBuilder.Host("smdw", false, "over SSH", InitSystem.SYSV, "gpadmin",
                SysvRegistration.UPDATE_RC_D, false, ""), false);

        new Installer(log, Optional.empty()).apply(uninstall, host);

        assertThat(host.changes).containsExactly("remove /etc/sudoers.d/gpfo", "remove /opt/gpfo");
        assertThat(log.lines()).contains("OK      unchanged /usr/local/bin/gpfo on smdw: left alone, it is a symbolic link to"
                + " /usr/lib/other/gpfo, not gpfo's link", "OK      unchanged /etc/gpfo on smdw: not there",
                "OK      unchanged /etc/init.d/gpfo stop on smdw: /etc/init.d/gpfo is not there");
    }
}
