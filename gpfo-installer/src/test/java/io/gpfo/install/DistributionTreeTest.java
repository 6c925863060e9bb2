package io.gpfo.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.install.DistributionTree.Entry;
import io.gpfo.install.DistributionTree.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which entries make a distribution tree unsafe for root to install, and the file system's walk that finds them. */
class DistributionTreeTest {

    private static final Path HOME = Path.of("/home/gpadmin/gpfo-0.1.0");

    @TempDir
    Path dir;

    private static Entry entry(String path, int uid, int mode) {
        return new Entry(HOME.resolve(path), uid, mode, false, false);
    }

    private static Entry link(String path, boolean staysInside) {
        return new Entry(HOME.resolve(path), 1000, 0777, true, staysInside);
    }

    @Test
    void aTreeOnlyRootCanChangeIsSafe() {
        assertThat(DistributionTree.unsafe(List.of(entry("", 0, 0755), entry("bin/gpfo", 0, 0755), entry("lib/a.jar", 0, 0644),
                entry("etc/x", 0, 0600), link("runtime/lib/x", true)), 10)).isEmpty();
    }

    @Test
    void eachReasonNamesThePath() {
        assertThat(DistributionTree.unsafe(List.of(entry("", 1000, 0755), entry("bin", 0, 0775), entry("lib/a.jar", 0, 0646),
                link("lib/b.jar", false)), 10)).extracting(Finding::why).containsExactly(
                        HOME + " is owned by uid 1000, not root",
                        HOME.resolve("bin") + " is writable by its group or others (mode 0775)",
                        HOME.resolve("lib/a.jar") + " is writable by its group or others (mode 0646)",
                        HOME.resolve("lib/b.jar") + " is a symlink that leads out of the distribution");
    }

    @Test
    void onlyTheFirstFindingsAreReported() {
        assertThat(DistributionTree.unsafe(List.of(entry("a", 1, 0644), entry("b", 2, 0644), entry("c", 3, 0644)), 2))
                .extracting(Finding::path).containsExactly(HOME.resolve("a"), HOME.resolve("b"));
    }

    @Test
    void theFileSystemWalkFindsAGroupWritableFileItsOwnerAndWhereLinksLead() throws Exception {
        Path home = Files.createDirectories(dir.resolve("gpfo-0.1.0"));
        Files.createDirectories(home.resolve("lib"));
        Path jar = Files.writeString(home.resolve("lib/a.jar"), "jar");
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-r--"));
        Files.createSymbolicLink(home.resolve("lib/inside.jar"), Path.of("a.jar"));
        Files.createSymbolicLink(home.resolve("lib/up.jar"), Path.of("../../outside.jar"));
        Files.createSymbolicLink(home.resolve("lib/absolute.jar"), jar);
        int myUid = (Integer) Files.getAttribute(dir, "unix:uid");

        List<Entry> entries = DistributionTree.system().walk(home);

        assertThat(entries).extracting(Entry::path).containsExactlyInAnyOrder(home, home.resolve("lib"), jar,
                home.resolve("lib/inside.jar"), home.resolve("lib/up.jar"), home.resolve("lib/absolute.jar"));
        assertThat(entries).filteredOn(entry -> !entry.symlink()).allSatisfy(entry -> assertThat(entry.uid()).isEqualTo(myUid));
        assertThat(entries).filteredOn(entry -> entry.path().equals(jar)).singleElement()
                .satisfies(entry -> assertThat(entry.mode()).isEqualTo(0664));
        assertThat(entries).filteredOn(Entry::symlink).extracting(entry -> entry.path().getFileName().toString(),
                Entry::staysInside).containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("inside.jar", true),
                        org.assertj.core.groups.Tuple.tuple("up.jar", false), org.assertj.core.groups.Tuple.tuple("absolute.jar", false));
        assertThat(DistributionTree.unsafe(entries, 10)).extracting(Finding::path).contains(jar, home.resolve("lib/up.jar"),
                home.resolve("lib/absolute.jar")).doesNotContain(home.resolve("lib/inside.jar"));
    }
}
