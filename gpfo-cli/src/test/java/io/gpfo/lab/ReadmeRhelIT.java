package io.gpfo.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * README's "From two RHEL/Rocky hosts to production", walked on the lab in its order with the
 * commands it gives (issue 13): the tarball verified and unpacked on mdw, gpfo check on both hosts,
 * install --dry-run as gpadmin, install, the man pages, a failover drill and the runbook back,
 * the logs, a config change, an upgrade to a newer tarball and the rollback, uninstall; then
 * (issue 12) an install to an smdw whose sshd has no SFTP subsystem. The lab is Debian in
 * namespaces with SysV init: firewalld, SELinux, systemd and RHEL's sudo secure_path are not
 * walked (README says so).
 */
@Tag("lab")
@TestMethodOrder(OrderAnnotation.class)
class ReadmeRhelIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProcessRunner HERE = new ProcessRunner();
    private static final List<String> PAIR = List.of("mdw", "smdw");
    private static final String VERSION = System.getProperty("gpfo.version", "0.1.0");
    /** The "newer" release of the upgrade step: this build, told it is another version. */
    private static final String NEWER = VERSION + "-next";
    private static final Path TARBALL = Path.of(System.getProperty("gpfo.tarball",
            "target/gpfo-" + VERSION + "-linux-x86_64.tar.gz")).toAbsolutePath();
    private static final String DOWNLOADS = "/tmp/gpfo-download";
    private static final String SSHD_CONFIG = "/etc/ssh/sshd_config";
    private static Path scratch;

    @BeforeAll
    static void freshLab() throws IOException {
        assertThat(TARBALL).as("the tarball that 'mvn package' makes").isRegularFile();
        scratch = Files.createTempDirectory("gpfo-readme-");
        Lab.lab(Duration.ofMinutes(2), "down");
        Lab.up();
        // the site's prerequisite for the installer (README step 2): sudo -n for gpadmin on smdw
        CommandResult sudo = Lab.exec("smdw", "sh", "-c", "umask 0337 && echo 'gpadmin ALL=(root) NOPASSWD: ALL'"
                + " > /etc/sudoers.d/gpadmin-install && visudo -cqf /etc/sudoers.d/gpadmin-install");
        assertThat(sudo.ok()).as("sudo for gpadmin on smdw: %s", sudo.stderr()).isTrue();
        PAIR.forEach(InstallerIT::privateRunDirectory);
    }

    @AfterAll
    static void down() throws Exception {
        Lab.lab(Duration.ofMinutes(2), "down");
        InstallerIT.removeSharedLeftovers();
        if (scratch != null) {
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static CommandResult sh(String host, String command) {
        return Lab.exec(host, "sh", "-c", command);
    }

    private static CommandResult shOk(String host, String command) {
        CommandResult result = sh(host, command);
        assertThat(result.exitCode()).as("%s on %s\nstdout: %s\nstderr: %s", command, host, result.stdout(), result.stderr())
                .isZero();
        return result;
    }

    /** A command run as root that may take minutes (install, rejoin, switchover), printed for the record. */
    private static CommandResult slow(String host, String... argv) {
        List<String> args = new ArrayList<>(List.of("exec", host));
        args.addAll(List.of(argv));
        CommandResult result = Lab.lab(Duration.ofMinutes(6), args.toArray(String[]::new));
        System.out.printf("%s on %s: exit %d in %d ms%n%s%n", String.join(" ", argv), host, result.exitCode(),
                result.elapsed().toMillis(), result.stderr());
        return result;
    }

    private static void ok(CommandResult result) {
        assertThat(result.exitCode()).as("stderr:\n%s\nstdout:\n%s", result.stderr(), result.stdout()).isZero();
    }

    private static JsonNode status(String host) throws IOException {
        return JSON.readTree(Lab.exec(host, "/usr/local/bin/gpfo", "status", "--json").stdout());
    }

    private static String pid(String host) {
        return Lab.exec(host, "cat", "/var/run/gpfo/gpfo.pid").stdout().strip();
    }

    /** The tarball and its .sha256, made where it was built (README step 1), pushed to a host's download directory. */
    private static void download(Path tarball, String host, String directory) throws IOException {
        Path outgoing = Files.createDirectories(scratch.resolve("outgoing-" + host + "-" + tarball.getFileName()));
        Files.copy(tarball, outgoing.resolve(tarball.getFileName()));
        CommandResult sum = HERE.run(new Command(List.of("sh", "-c", "cd \"$1\" && sha256sum \"$2\" > \"$2.sha256\"", "sum",
                outgoing.toString(), tarball.getFileName().toString()), Map.of(), null, Duration.ofMinutes(1)));
        assertThat(sum.ok()).as(sum.stderr()).isTrue();
        Lab.labOk(Duration.ofMinutes(2), "push", host, outgoing.toString(), directory);
    }

    /** Verified as README step 1 says, then unpacked into /tmp; the tree's directory on the host. */
    private static String verifyAndUnpack(String host, String directory, String file, String version) {
        CommandResult verified = shOk(host, "cd " + directory + " && sha256sum -c " + file + ".sha256");
        assertThat(verified.stdout()).contains(file + ": OK");
        shOk(host, "tar xzf " + directory + "/" + file + " -C /tmp");
        String tree = "/tmp/gpfo-" + version;
        assertThat(Lab.exec(host, tree + "/bin/gpfo", "--version").stdout()).startsWith("gpfo " + version + " ");
        return tree;
    }

    /** README step 3: the configuration, root's and readable by the admin group (gpfo check runs as gpadmin). */
    private static void writeConfig(String host, String yaml) {
        Lab.writeConfig(host, yaml);
        shOk(host, "chgrp gpadmin /etc/gpfo/gpfo.yaml && chmod 0640 /etc/gpfo/gpfo.yaml");
    }

    private static String tree() {
        return "/tmp/gpfo-" + VERSION;
    }

    @Test
    @Order(1)
    void step1TheTarballIsVerifiedAndUnpackedOnBothHosts() throws IOException {
        for (String host : PAIR) {
            download(TARBALL, host, DOWNLOADS);
        }
        String file = TARBALL.getFileName().toString();
        // the check is a real one: a damaged copy fails it
        CommandResult damaged = sh("mdw", "cd " + DOWNLOADS + " && cp " + file + " d.tar.gz && printf x >> d.tar.gz"
                + " && sed 's/ " + file.replace(".", "\\.") + "$/ d.tar.gz/' " + file + ".sha256 > d.sha256 && sha256sum -c d.sha256");
        assertThat(damaged.exitCode()).as(damaged.stdout()).isNotZero();
        assertThat(damaged.stdout()).contains("d.tar.gz: FAILED");

        // on smdw only for step 3's check: the installer copies mdw's tree there
        for (String host : PAIR) {
            verifyAndUnpack(host, DOWNLOADS, file, VERSION);
        }
    }

    @Test
    @Order(3)
    void step3GpfoCheckPassesOnBothHosts() {
        String config = Lab.config();
        for (String host : PAIR) {
            writeConfig(host, config);
            // a real host has no /var/lib/gpfo yet (check warns that install makes it); the lab's is
            // the mount point of a per-host directory, root's: given to gpadmin as install would
            shOk(host, "chown gpadmin:gpadmin /var/lib/gpfo && chmod 0750 /var/lib/gpfo");
        }
        for (String host : PAIR) {
            CommandResult check = Lab.asGpadmin(host, tree() + "/bin/gpfo", "check");
            assertThat(check.exitCode()).as("gpfo check on %s:\n%s\n%s", host, check.stdout(), check.stderr()).isZero();
            assertThat((check.stdout() + check.stderr()).lines().filter(line -> line.matches("^(FAIL|SKIP).*")).toList())
                    .as("gpfo check on %s", host).isEmpty();
        }
    }

    @Test
    @Order(4)
    void step4TheDryRunNeedsNoRootAndChangesNothing() {
        CommandResult plan = Lab.asGpadmin("mdw", tree() + "/bin/gpfo", "install", "--dry-run", "--init", "sysv");

        ok(plan);
        assertThat(plan.stdout() + plan.stderr()).contains("gpfo install plan: gpfo " + VERSION)
                .contains("symlink    /usr/local/share/man/man5/gpfo.yaml.5");
        for (String host : PAIR) {
            assertThat(Lab.exec(host, "test", "-e", "/opt/gpfo/current").ok()).as("/opt/gpfo/current on %s", host).isFalse();
        }
    }

    @Test
    @Order(5)
    void step5InstallThenManFindsEveryPageOnBothHosts() throws IOException {
        ok(slow("mdw", "sh", "-c", "cd " + tree() + " && sudo ./bin/gpfo install --init sysv --yes"));

        for (String host : PAIR) {
            assertThat(Lab.exec(host, "readlink", "/opt/gpfo/current").stdout().strip()).isEqualTo("/opt/gpfo/" + VERSION);
            for (String page : List.of("gpfo", "gpfo.yaml", "gpfo-status", "gpfo-vip-up")) {
                CommandResult found = Lab.exec(host, "man", "-w", page);
                assertThat(found.exitCode()).as("man -w %s on %s: %s", page, host, found.stderr()).isZero();
                // man-db names the page the link in /usr/local/share/man resolves to
                assertThat(found.stdout().strip()).startsWith("/opt/gpfo/" + VERSION + "/share/man/man");
            }
            assertThat(Lab.exec(host, "man", "-w", "5", "gpfo.yaml").stdout().strip())
                    .isEqualTo("/opt/gpfo/" + VERSION + "/share/man/man5/gpfo.yaml.5");
        }
        CommandResult rendered = sh("mdw", "MANWIDTH=100 man 5 gpfo.yaml | col -b");
        assertThat(rendered.stdout()).contains("heartbeat.interval");
        awaitHealthy("mdw");
    }

    private static void awaitHealthy(String host) throws IOException {
        JsonNode json = null;
        for (int i = 0; i < 120; i++) {
            json = status(host);
            if (json.path("health").asText().equals("ok") && json.at("/vip/state").asText().equals("ok")) {
                return;
            }
            Lab.exec(host, "sleep", "0.5");
        }
        throw new AssertionError("gpfo status on " + host + " is not ok: " + json);
    }

    /** README step 6: kill -9 of mdw's postmaster; smdw promotes and takes the VIP; history says why; the runbook back. */
    @Test
    @Order(6)
    void step6TheFailoverDrillAndTheRunbookBack() throws IOException {
        assertThat(Lab.exec("mdw", "/usr/local/bin/gpfo", "status").exitCode()).isZero();
        Lab.labOk(Duration.ofSeconds(30), "kill-db", "mdw");

        JsonNode json = null;
        for (int i = 0; i < 120; i++) {
            json = status("smdw");
            if (Lab.sql("client", Lab.VIP, "select pg_is_in_recovery()").stdout().strip().equals("f")
                    && Lab.sql("smdw", "smdw", "select pg_is_in_recovery()").stdout().strip().equals("f")) {
                break;
            }
            Lab.exec("smdw", "sleep", "0.5");
        }
        assertThat(Lab.sql("client", Lab.VIP, "select pg_is_in_recovery()").stdout().strip())
                .as("clients reach a primary through the VIP; last status %s", json).isEqualTo("f");
        assertThat(Lab.exec("smdw", "ip", "-o", "-4", "addr", "show", "dev", "eth0").stdout()).contains(Lab.VIP + "/");
        // the promote action is recorded when it has ended (VIP moved, fence done): a moment after SQL answers
        CommandResult history = null;
        for (int i = 0; i < 60; i++) {
            history = Lab.exec("smdw", "/usr/local/bin/gpfo", "history");
            if (history.stdout().contains("action   promote")) {
                break;
            }
            Lab.exec("smdw", "sleep", "0.5");
        }
        ok(history);
        assertThat(history.stdout()).contains("action   promote");

        // the runbook: rejoin mdw as the standby, then switch over back to the original layout
        ok(slow("smdw", "/usr/local/bin/gpfo", "rejoin", "--yes"));
        ok(slow("mdw", "/usr/local/bin/gpfo", "switchover", "--yes"));
        assertThat(Lab.sql("mdw", "mdw", "select pg_is_in_recovery()").stdout().strip()).isEqualTo("f");
        assertThat(Lab.sql("smdw", "smdw", "select pg_is_in_recovery()").stdout().strip()).isEqualTo("t");
        awaitHealthy("mdw");
    }

    /** README step 7, SysV without a syslog socket (the lab): the fallback log, and the event log that history reads. */
    @Test
    @Order(7)
    void step7TheLogsAreWhereReadmeSays() {
        for (String host : PAIR) {
            assertThat(Lab.exec(host, "test", "-S", "/dev/log").ok()).as("the lab has no syslog socket").isFalse();
            assertThat(Lab.exec(host, "cat", "/var/log/gpfo.log").stdout()).as("the agent's log on %s", host).isNotBlank();
            assertThat(Lab.exec(host, "test", "-s", "/var/lib/gpfo/events.jsonl").ok()).as("events.jsonl on %s", host).isTrue();
        }
    }

    /** README step 8: the same edit on both hosts, gpfo check, the agents restarted one after the other. */
    @Test
    @Order(8)
    void step8AConfigChangeTakesEffectAfterARestart() throws IOException {
        for (String host : PAIR) {
            shOk(host, "printf 'alerts:\\n  repeat: 7m\\n' >> /etc/gpfo/gpfo.yaml");
        }
        assertThat(Lab.exec("smdw", "sha256sum", "/etc/gpfo/gpfo.yaml").stdout())
                .isEqualTo(Lab.exec("mdw", "sha256sum", "/etc/gpfo/gpfo.yaml").stdout());
        for (String host : PAIR) {
            ok(Lab.asGpadmin(host, "/usr/local/bin/gpfo", "check"));
        }
        for (String host : PAIR) {
            String before = pid(host);
            ok(Lab.exec(host, "/etc/init.d/gpfo", "restart"));
            assertThat(pid(host)).as("a new agent on %s", host).isNotEqualTo(before);
        }
        awaitHealthy("mdw");

        // "running sudo gpfo install again also copies mdw's file to smdw": and restarts the agents
        shOk("mdw", "printf '# changed on mdw only\\n' >> /etc/gpfo/gpfo.yaml");
        CommandResult again = slow("mdw", "sudo", "/usr/local/bin/gpfo", "install", "--init", "sysv", "--yes");
        ok(again);
        assertThat(again.stderr()).contains("OK      replaced file /etc/gpfo/gpfo.yaml on smdw")
                .contains("OK      ran /etc/init.d/gpfo restart on smdw");
        assertThat(Lab.exec("smdw", "cat", "/etc/gpfo/gpfo.yaml").stdout()).contains("# changed on mdw only");
        awaitHealthy("mdw");
    }

    /**
     * This build, told it is {@link #NEWER}: the version in gpfo-cli's jar, the tree's directory and the
     * tarball's name changed, as a newer release would have them.
     */
    private static Path newerTarball() throws IOException {
        Path work = Files.createDirectories(scratch.resolve("newer"));
        CommandResult unpacked = HERE.run(new Command(List.of("tar", "xzf", TARBALL.toString(), "-C", work.toString()), Map.of(),
                null, Duration.ofMinutes(2)));
        assertThat(unpacked.ok()).as(unpacked.stderr()).isTrue();
        Path tree = work.resolve("gpfo-" + NEWER);
        Files.move(work.resolve("gpfo-" + VERSION), tree);
        Path jar;
        try (Stream<Path> jars = Files.list(tree.resolve("lib"))) {
            jar = jars.filter(path -> path.getFileName().toString().startsWith("gpfo-cli")).findFirst().orElseThrow();
        }
        try (FileSystem zip = FileSystems.newFileSystem(jar)) {
            Files.writeString(zip.getPath("io/gpfo/cli/version.properties"), "version=" + NEWER + "\n", StandardCharsets.UTF_8);
        }
        Path tarball = scratch.resolve("gpfo-" + NEWER + "-linux-x86_64.tar.gz");
        CommandResult packed = HERE.run(new Command(List.of("tar", "czf", tarball.toString(), "-C", work.toString(),
                "gpfo-" + NEWER), Map.of(), null, Duration.ofMinutes(2)));
        assertThat(packed.ok()).as(packed.stderr()).isTrue();
        return tarball;
    }

    /** README step 9: the newer tarball installed beside the old version, then the old version's install rolls back. */
    @Test
    @Order(9)
    void step9UpgradeAndRollBack() throws IOException {
        Path newer = newerTarball();
        download(newer, "mdw", DOWNLOADS + "-next");
        String newerTree = verifyAndUnpack("mdw", DOWNLOADS + "-next", newer.getFileName().toString(), NEWER);
        Map<String, String> before = Map.of("mdw", pid("mdw"), "smdw", pid("smdw"));

        ok(slow("mdw", "sh", "-c", "cd " + newerTree + " && sudo ./bin/gpfo install --init sysv --yes"));
        for (String host : PAIR) {
            assertThat(Lab.exec(host, "readlink", "/opt/gpfo/current").stdout().strip()).isEqualTo("/opt/gpfo/" + NEWER);
            assertThat(Lab.exec(host, "test", "-x", "/opt/gpfo/" + VERSION + "/bin/gpfo").ok()).as("the old version stays")
                    .isTrue();
            assertThat(Lab.exec(host, "/usr/local/bin/gpfo", "--version").stdout()).startsWith("gpfo " + NEWER + " ");
            assertThat(pid(host)).as("the agent on %s restarted", host).isNotEqualTo(before.get(host));
        }
        awaitHealthy("mdw");

        ok(slow("mdw", "sudo", "/opt/gpfo/" + VERSION + "/bin/gpfo", "install", "--init", "sysv", "--yes"));
        for (String host : PAIR) {
            assertThat(Lab.exec(host, "readlink", "/opt/gpfo/current").stdout().strip()).isEqualTo("/opt/gpfo/" + VERSION);
            assertThat(Lab.exec(host, "/usr/local/bin/gpfo", "--version").stdout()).startsWith("gpfo " + VERSION + " ");
            assertThat(Lab.exec(host, "man", "-w", "gpfo.yaml").ok()).isTrue();
        }
        awaitHealthy("mdw");
    }

    @Test
    @Order(10)
    void uninstallRemovesTheManPagesToo() {
        ok(slow("mdw", "/usr/local/bin/gpfo", "uninstall", "--yes"));

        for (String host : PAIR) {
            for (String page : List.of("gpfo", "gpfo.yaml", "gpfo-status")) {
                assertThat(Lab.exec(host, "man", "-w", page).ok()).as("man -w %s on %s after uninstall", page, host).isFalse();
            }
            assertThat(sh(host, "ls /usr/local/share/man/man1 /usr/local/share/man/man5 2>/dev/null | grep gpfo").stdout())
                    .isEmpty();
        }
    }

    /**
     * Issue 12: a hardened smdw whose sshd has no SFTP subsystem. The install copies without SFTP
     * (checked by size and SHA-256) and works as it does elsewhere; the sshd is restored afterwards.
     */
    @Test
    @Order(11)
    void anInstallToAHostWithoutTheSftpSubsystemWorks() {
        // uninstall removed /etc/gpfo: the configuration again, on mdw (the installer copies it)
        writeConfig("mdw", Lab.config());
        shOk("smdw", "cp -p " + SSHD_CONFIG + " " + SSHD_CONFIG + ".orig && sed -i '/^Subsystem/d' " + SSHD_CONFIG);
        try {
            reloadSshd();
            CommandResult sftp = Lab.asGpadmin("mdw", "sftp", "-b", "/dev/null", "smdw");
            assertThat(sftp.exitCode()).as("sftp to smdw must fail now: %s", sftp.stderr()).isNotZero();

            CommandResult installed = slow("mdw", "sh", "-c", "cd " + tree() + " && sudo ./bin/gpfo install --init sysv --yes");

            ok(installed);
            assertThat(installed.stderr()).contains("OK      created tree /opt/gpfo/" + VERSION + " on smdw")
                    .contains("OK      created file /etc/sudoers.d/gpfo on smdw").doesNotContain("FAILED");
            assertThat(Lab.exec("smdw", "/etc/init.d/gpfo", "status").ok()).isTrue();
            assertThat(sh("smdw", "ls -a /tmp | grep -c gpfo-upload").stdout().strip()).as("no partial upload left").isEqualTo("0");
            ok(slow("mdw", "/usr/local/bin/gpfo", "uninstall", "--yes"));
        } finally {
            shOk("smdw", "mv -f " + SSHD_CONFIG + ".orig " + SSHD_CONFIG);
            reloadSshd();
        }
        assertThat(Lab.asGpadmin("mdw", "sftp", "-b", "/dev/null", "smdw").ok()).as("sftp is back").isTrue();
    }

    /** SIGHUP: sshd re-executes itself and rereads its configuration; wait until it accepts again. */
    private static void reloadSshd() {
        String pidFile = Lab.env().get("LAB_DIR") + "/hosts/smdw/run/sshd.pid";
        shOk("smdw", "kill -HUP $(cat " + pidFile + ")");
        for (int i = 0; i < 50; i++) {
            if (Lab.asGpadmin("mdw", "ssh", "-o", "BatchMode=yes", "smdw", "true").ok()) {
                return;
            }
            Lab.exec("mdw", "sleep", "0.2");
        }
        throw new AssertionError("sshd on smdw does not accept connections after its reload");
    }
}
