package io.gpfo.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gpfo.config.ConfigLoader;
import io.gpfo.install.Step.Check;
import io.gpfo.install.Step.Directory;
import io.gpfo.install.Step.File;
import io.gpfo.install.Step.Symlink;
import io.gpfo.install.Step.Tree;
import io.gpfo.port.Executables;
import io.gpfo.port.ProcessRunner;
import io.gpfo.testing.RecordingStepLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell side of a target (state.sh, put-file.sh, tree-manifest.sh, tree-install.sh) for
 * real, as root, in a temporary directory: what the installer does on both hosts.
 */
class LocalTargetTest {

    @TempDir
    Path dir;

    private final LocalTarget target = new LocalTarget("mdw", new ProcessRunner());

    @BeforeEach
    void needsRoot() {
        assumeTrue(ConfigLoader.isRoot(), "installs files as root:root; run the tests as root");
    }

    @AfterEach
    void removeStaging() {
        target.close();
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void stateTellsFilesDirectoriesLinksAndMissingApart() throws Exception {
        Files.writeString(dir.resolve("file"), "hello\n");
        Files.setPosixFilePermissions(dir.resolve("file"), PosixFilePermissions.fromString("rw-r-----"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("../elsewhere"));

        assertThat(target.state(path("missing"))).isEqualTo(FileState.MISSING);
        assertThat(target.state(path("file"))).isEqualTo(FileState.file(new Attributes("root", "root", 0640),
                "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"));
        assertThat(target.state(path("link"))).isEqualTo(FileState.symlink("../elsewhere"));
        assertThat(target.state(dir.toString()).kind()).isEqualTo(FileState.Kind.DIRECTORY);
    }

    @Test
    void filesAreWrittenWithTheirAttributesAndSudoersOnlyAfterVisudoAcceptsThem() throws Exception {
        assumeTrue(Executables.fromPath(System.getenv("PATH")).find("visudo").isPresent(), "visudo is not installed");
        String sudoers = path("gpfo");
        target.putFile(sudoers, "gpadmin ALL=(root) NOPASSWD: /usr/sbin/ip addr show\n", Attributes.root(0440), Check.SUDOERS);
        assertThat(target.state(sudoers).attributes()).contains(Attributes.root(0440));

        assertThatThrownBy(() -> target.putFile(sudoers, "gpadmin ALL=(root NOPASSWD\n", Attributes.root(0440), Check.SUDOERS))
                .isInstanceOf(TargetException.class).hasMessageContaining("visudo rejected it, left " + sudoers + " as it was");
        assertThat(Files.readString(Path.of(sudoers))).contains("addr show");
        assertThat(dir.resolve("gpfo.gpfo-new")).doesNotExist();
    }

    @Test
    void aPlanAppliedTwiceChangesNothingTheSecondTime() throws Exception {
        Path distribution = dir.resolve("dist");
        Files.createDirectories(distribution.resolve("bin"));
        Files.createDirectories(distribution.resolve("lib"));
        Files.writeString(distribution.resolve("bin/gpfo"), "#!/bin/sh\necho gpfo\n");
        Files.setPosixFilePermissions(distribution.resolve("bin/gpfo"), PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.writeString(distribution.resolve("lib/gpfo.jar"), "jar");
        Files.setPosixFilePermissions(distribution.resolve("lib/gpfo.jar"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.createSymbolicLink(distribution.resolve("lib/alias.jar"), Path.of("gpfo.jar"));
        String opt = path("opt");
        HostPlan plan = new HostPlan("mdw", true, "this host", List.of(
                new Directory(opt, Optional.of(Attributes.root(0755))),
                new Tree(opt + "/0.1.0", distribution.toString()),
                new Symlink(opt + "/current", opt + "/0.1.0"),
                new Directory(path("etc"), Optional.empty()),
                new File(path("etc") + "/gpfo.yaml", "cluster: {name: lab}\n", new Attributes("root", "root", 0640), Check.NONE),
                new Directory(path("state"), Optional.of(new Attributes("root", "root", 0750))),
                new Step.Run(List.of("true"), new Step.When.IfChanged(List.of()))));
        RecordingStepLog log = new RecordingStepLog();
        try (Distribution source = new Distribution(distribution, "0.1.0", new ProcessRunner())) {
            Installer installer = new Installer(log, Optional.of(source));

            assertThat(installer.apply(plan, target).changed()).isEqualTo(plan.steps().size());
            assertThat(Files.readString(Path.of(opt, "current", "bin", "gpfo"))).contains("echo gpfo");
            assertThat(Files.readSymbolicLink(Path.of(opt, "0.1.0", "lib", "alias.jar"))).isEqualTo(Path.of("gpfo.jar"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(opt, "0.1.0", "bin", "gpfo"))))
                    .as("root runs it: not group/world writable").isEqualTo("rwxr-xr-x");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(opt, "0.1.0", "lib", "gpfo.jar"))))
                    .isEqualTo("rw-r--r--");
            assertThat(target.treeManifest(opt + "/0.1.0").unsafe()).isEmpty();

            log.clear();
            assertThat(installer.apply(plan, target).changed()).isZero();
            assertThat(log.lines()).allMatch(line -> line.startsWith("OK      unchanged "));

            // a file changed in the installed tree: the tree is replaced whole
            Files.writeString(Path.of(opt, "0.1.0", "lib", "gpfo.jar"), "tampered");
            log.clear();
            assertThat(installer.apply(plan, target).changed()).isEqualTo(2);
            assertThat(log.lines()).contains("OK      replaced tree " + opt + "/0.1.0 on mdw (2 entries differed)",
                    "OK      ran true on mdw");
            assertThat(Files.readString(Path.of(opt, "0.1.0", "lib", "gpfo.jar"))).isEqualTo("jar");
            assertThat(Path.of(opt + "/0.1.0.gpfo-old")).doesNotExist();
        }
    }

    @Test
    void symlinksAreReplacedAndRemovalIsRecursive() throws Exception {
        String link = path("current");
        target.symlink(link, "/opt/gpfo/0.1.0");
        target.symlink(link, "/opt/gpfo/0.2.0");
        assertThat(Files.readSymbolicLink(Path.of(link))).isEqualTo(Path.of("/opt/gpfo/0.2.0"));

        Files.createDirectories(dir.resolve("tree/a/b"));
        Files.writeString(dir.resolve("tree/a/b/c"), "x");
        target.remove(path("tree"));
        assertThat(dir.resolve("tree")).doesNotExist();
    }

    @Test
    void directoriesGetTheirOwnerAndMode() throws Exception {
        String state = path("var/lib/gpfo");
        target.makeDirectory(state, new Attributes("root", "root", 0750));
        assertThat(target.state(state)).isEqualTo(FileState.directory(new Attributes("root", "root", 0750)));

        target.setAttributes(state, new Attributes("root", "root", 0700));
        assertThat(target.state(state)).isEqualTo(FileState.directory(new Attributes("root", "root", 0700)));
    }

    @Test
    void factsNameTheToolsAndTheAdminUsersGroup() throws Exception {
        HostFacts facts = Facts.gather(target, "root");

        assertThat(facts.adminGroup()).contains("root");
        assertThat(facts.tool("sh")).isEmpty();
        assertThat(facts.tool("tar")).isPresent();
        assertThat(facts.systemdRunning()).isEqualTo(Files.isDirectory(Path.of("/run/systemd/system")));
        assertThat(Facts.gather(target, "no-such-user-here").adminGroup()).isEmpty();
    }

    @Test
    void stagingIsRemovedOnClose() throws IOException, TargetException {
        String staged = target.stage("x", new byte[] {1});
        assertThat(Path.of(staged)).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(staged).getParent()))).isEqualTo("rwx------");

        target.close();

        assertThat(Path.of(staged).getParent()).doesNotExist();
    }
}
