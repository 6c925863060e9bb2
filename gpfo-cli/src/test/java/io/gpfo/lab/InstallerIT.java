package io.gpfo.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpfo.port.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * gpfo install and gpfo uninstall on the real lab (issue 5), SysV flavour: the lab hosts have
 * no systemd as PID 1 (the systemd path is covered by systemd-analyze verify and unit tests).
 * One lab for the class, in order: the refusals first (they must leave smdw untouched), then an
 * install, a second install that changes nothing, and an uninstall that leaves nothing.
 */
@Tag("lab")
@TestMethodOrder(OrderAnnotation.class)
class InstallerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GPFO = Lab.BUILD_IN_HOST + "/bin/gpfo";
    private static final List<String> PAIR = List.of("mdw", "smdw");
    private static final Map<String, Long> AGENT_PIDS = new HashMap<>();

    @BeforeAll
    static void freshLab() {
        Lab.lab(Duration.ofMinutes(2), "down");
        Lab.up();
        // the installer runs from the build pushed into mdw; it copies itself to smdw
        Lab.installBuild("mdw");
        Lab.writeConfig("mdw", Lab.config());
        // What a real site sets up before installing: the SSH user (gpadmin) may use sudo on the
        // standby host, without a password, for the installer's remote steps. gpfo itself then
        // needs only the narrow rule it installs (/etc/sudoers.d/gpfo).
        CommandResult sudo = Lab.exec("smdw", "sh", "-c", "umask 0337 && echo 'gpadmin ALL=(root) NOPASSWD: ALL'"
                + " > /etc/sudoers.d/gpadmin-install && visudo -cqf /etc/sudoers.d/gpadmin-install");
        assertThat(sudo.ok()).as("sudo for gpadmin on smdw: %s", sudo.stderr()).isTrue();
        PAIR.forEach(InstallerIT::privateRunDirectory);
    }

    /**
     * The SysV pid file is /var/run/gpfo/gpfo.pid; the lab hosts share /run, so each gets its
     * own /run/gpfo (a small tmpfs in its mount namespace), as two real hosts would have. Not
     * needed once scripts/lab binds a per-host directory there.
     */
    static void privateRunDirectory(String host) {
        CommandResult mounted = Lab.exec(host, "sh", "-c", "mkdir -p /run/gpfo && { mountpoint -q /run/gpfo"
                + " || mount -t tmpfs -o mode=0755,size=1m gpfo-run-" + host + " /run/gpfo; }");
        assertThat(mounted.ok()).as("private /run/gpfo on %s: %s", host, mounted.stderr()).isTrue();
    }

    @AfterAll
    static void down() throws Exception {
        Lab.lab(Duration.ofMinutes(2), "down");
        removeSharedLeftovers();
    }

    /**
     * What the lab hosts left in the shared root filesystem: the mount point, and the agents'
     * fallback log (the lab has no syslog socket).
     */
    static void removeSharedLeftovers() throws java.io.IOException {
        Files.deleteIfExists(Path.of("/run/gpfo"));
        Files.deleteIfExists(Path.of("/var/log/gpfo.log"));
    }

    private static CommandResult onHost(String host, String command) {
        return Lab.exec(host, "sh", "-c", command);
    }

    private static boolean exists(String host, String path) {
        return Lab.exec(host, "test", "-e", path).ok() || Lab.exec(host, "test", "-L", path).ok();
    }

    /** {@code owner:group mode} as stat prints it, e.g. {@code root:gpadmin 640}. */
    private static String attributes(String host, String path) {
        return Lab.exec(host, "stat", "-c", "%U:%G %a", path).stdout().strip();
    }

    private static boolean holdsVip(String host) {
        return Lab.exec(host, "ip", "-o", "-4", "addr", "show", "dev", "eth0").stdout().contains(Lab.VIP + "/");
    }

    private static String version() {
        // the first line: "gpfo VERSION (commit C)"
        return Lab.gpfo("mdw", "--version").stdout().lines().findFirst().orElse("").replaceFirst("^gpfo (\\S+).*", "$1");
    }

    /** gpfo install as root on mdw, from the pushed build; given minutes, not Lab.exec's one. */
    private static CommandResult install() {
        CommandResult result = Lab.lab(Duration.ofMinutes(5), "exec", "mdw", GPFO, "install", "--init", "sysv", "--yes");
        System.out.printf("gpfo install on the lab took %d ms%n", result.elapsed().toMillis());
        return result;
    }

    @Test
    @Order(1)
    void aNonRootRunIsRefused() {
        CommandResult refused = Lab.asGpadmin("mdw", GPFO, "install", "--init", "sysv", "--yes");

        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(2);
        assertThat(refused.stderr()).contains("FAILED  running as root: running as gpadmin")
                .contains("run it as root: sudo gpfo install; nothing was changed");
        assertThat(exists("smdw", "/opt/gpfo/current")).isFalse();
        assertThat(exists("mdw", "/etc/init.d/gpfo")).isFalse();
    }

    @Test
    @Order(2)
    void aChangedHostKeyOfSmdwIsRefusedBeforeAnythingIsTouched() {
        String knownHosts = "/home/gpadmin/.ssh/known_hosts";
        // mdw's record of smdw's keys replaced by another host's keys under smdw's names
        CommandResult forged = onHost("mdw", "cd /home/gpadmin/.ssh && cp -p known_hosts known_hosts.orig && "
                + Lab.forgeKnownHostKeys("smdw"));
        assertThat(forged.ok()).as(forged.stderr()).isTrue();
        try {
            CommandResult refused = install();

            assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(3);
            assertThat(refused.stderr()).contains("FAILED  ssh gpadmin@smdw: the host key of smdw has CHANGED")
                    .contains("ssh-keyscan").contains("nothing was changed").doesNotContain("install plan");
            for (String host : PAIR) {
                for (String path : List.of("/opt/gpfo/" + version(), "/opt/gpfo/current", "/usr/local/bin/gpfo",
                        "/etc/sudoers.d/gpfo", "/etc/init.d/gpfo", "/var/lib/gpfo/state.json")) {
                    assertThat(exists(host, path)).as("%s on %s", path, host).isFalse();
                }
            }
            assertThat(exists("smdw", "/opt/gpfo/current")).as("no gpfo on smdw").isFalse();
            assertThat(exists("smdw", "/etc/gpfo/gpfo.yaml")).isFalse();
        } finally {
            CommandResult restored = onHost("mdw", "cd /home/gpadmin/.ssh && cat known_hosts.orig > " + knownHosts
                    + " && rm known_hosts.orig");
            assertThat(restored.ok()).as(restored.stderr()).isTrue();
        }
    }

    @Test
    @Order(3)
    void installSetsUpBothHostsAndStartsTheAgents() throws Exception {
        CommandResult installed = install();

        assertThat(installed.exitCode()).as("stderr:\n%s\nstdout:\n%s", installed.stderr(), installed.stdout()).isZero();
        assertThat(installed.stderr()).contains("gpfo install plan:").contains("OK      sudo -n on smdw as gpadmin")
                .contains("OK      ran /etc/init.d/gpfo restart on smdw").contains("OK      ran /etc/init.d/gpfo restart on mdw")
                .doesNotContain("FAILED");
        assertThat(installed.stdout()).as("gpfo status at the end").contains("coordinator* mdw").contains("health       ok");
        String version = version();
        for (String host : PAIR) {
            assertThat(attributes(host, "/opt/gpfo")).isEqualTo("root:root 755");
            assertThat(attributes(host, "/opt/gpfo/" + version)).isEqualTo("root:root 755");
            assertThat(attributes(host, "/opt/gpfo/" + version + "/bin/gpfo")).isEqualTo("root:root 755");
            // the class-data archive bin/gpfo loads (code: root's, read-only to others), and it is used
            assertThat(attributes(host, "/opt/gpfo/" + version + ".jsa")).isEqualTo("root:root 644");
            assertThat(onHost(host, "GPFO_OPTS=-Xlog:class+load /opt/gpfo/current/bin/gpfo --version | grep -c 'shared objects file (top)'")
                    .stdout().strip()).isNotEqualTo("0");
            assertThat(onHost(host, "find /opt/gpfo/" + version + " ! -type l \\( ! -uid 0 -o -perm /022 \\) -print").stdout())
                    .as("everything root executes on %s is root's and not group/world writable", host).isEmpty();
            assertThat(Lab.exec(host, "readlink", "/opt/gpfo/current").stdout().strip()).isEqualTo("/opt/gpfo/" + version);
            assertThat(Lab.exec(host, "readlink", "/usr/local/bin/gpfo").stdout().strip()).isEqualTo("/opt/gpfo/current/bin/gpfo");
            assertThat(attributes(host, "/etc/gpfo/gpfo.yaml")).isEqualTo("root:gpadmin 640");
            assertThat(attributes(host, "/var/lib/gpfo")).isEqualTo("gpadmin:gpadmin 750");
            assertThat(attributes(host, "/etc/sudoers.d/gpfo")).isEqualTo("root:root 440");
            assertThat(Lab.exec(host, "visudo", "-cf", "/etc/sudoers.d/gpfo").ok()).isTrue();
            assertThat(attributes(host, "/etc/init.d/gpfo")).isEqualTo("root:root 755");
            assertThat(onHost(host, "ls /etc/rc3.d/S[0-9][0-9]gpfo /etc/rc0.d/K[0-9][0-9]gpfo").ok())
                    .as("registered for boot on %s", host).isTrue();
            CommandResult status = Lab.exec(host, "/etc/init.d/gpfo", "status");
            assertThat(status.exitCode()).as(status.stdout()).isZero();
            assertThat(status.stdout()).startsWith("gpfo is running (pid ");
            for (String page : List.of("gpfo", "gpfo.yaml", "gpfo-status")) {
                // man-db names the page the link in /usr/local/share/man resolves to
                assertThat(Lab.exec(host, "man", "-w", page).stdout()).as("man -w %s on %s", page, host)
                        .startsWith("/opt/gpfo/" + version + "/share/man/man");
            }
            AGENT_PIDS.put(host, Long.parseLong(Lab.exec(host, "cat", "/var/run/gpfo/gpfo.pid").stdout().strip()));
        }
        assertThat(Lab.exec("smdw", "sha256sum", "/etc/gpfo/gpfo.yaml").stdout())
                .as("the same configuration on both hosts").isEqualTo(Lab.exec("mdw", "sha256sum", "/etc/gpfo/gpfo.yaml").stdout());
        assertThat(AGENT_PIDS.get("mdw")).isNotEqualTo(AGENT_PIDS.get("smdw"));
        assertThat(holdsVip("mdw")).isTrue();
        assertThat(holdsVip("smdw")).isFalse();
        for (String host : PAIR) {
            awaitWatching(host);
        }
    }

    /** The agent on a host has written its journal and watches: gpfo status --json there says so. */
    private static void awaitWatching(String host) throws Exception {
        JsonNode json = null;
        for (int i = 0; i < 60; i++) {
            CommandResult status = Lab.exec(host, "/usr/local/bin/gpfo", "status", "--json");
            if (!status.stdout().isBlank()) {
                json = JSON.readTree(status.stdout());
                // the standby's agent watches, the primary's serves
                if (List.of("watching", "serving").contains(json.at("/agent/phase").asText())) {
                    assertThat(json.at("/local_host").asText()).isEqualTo(host);
                    assertThat(json.at("/vip/state").asText()).isEqualTo("ok");
                    return;
                }
            }
            Lab.exec(host, "sleep", "0.5");
        }
        throw new AssertionError("the agent on " + host + " does not watch; last status: " + json);
    }

    @Test
    @Order(4)
    void aSecondInstallChangesNothing() {
        CommandResult again = install();

        assertThat(again.exitCode()).as(again.stderr()).isZero();
        List<String> stepLines = again.stderr().lines()
                .filter(line -> line.matches("(OK|FAILED) +.* on (mdw|smdw)\\b.*") && !line.contains("ssh ")
                        && !line.startsWith("OK      sudo") && !line.startsWith("OK      tools") && !line.startsWith("OK      Greenplum"))
                .toList();
        assertThat(stepLines).as("every step line says unchanged").isNotEmpty()
                .allMatch(line -> line.startsWith("OK      unchanged "));
        assertThat(again.stderr()).doesNotContainPattern("(?m)^OK +(created|replaced|fixed|ran|removed) ")
                .contains(" 0 step(s) changed something");
        for (String host : PAIR) {
            assertThat(Long.parseLong(Lab.exec(host, "cat", "/var/run/gpfo/gpfo.pid").stdout().strip()))
                    .as("the agent on %s was not restarted", host).isEqualTo(AGENT_PIDS.get(host));
            assertThat(onHost(host, "ls /etc/rc[0-6].d/ | grep -c gpfo").stdout().strip())
                    .as("no rc link duplicated on %s", host).isEqualTo("7");
        }
    }

    @Test
    @Order(5)
    void uninstallLeavesNothingButTheJournalAndTheVip() {
        CommandResult removed = Lab.lab(Duration.ofMinutes(5), "exec", "mdw", "/usr/local/bin/gpfo", "uninstall", "--yes");

        assertThat(removed.exitCode()).as(removed.stderr()).isZero();
        assertThat(removed.stderr()).contains("the VIP " + Lab.VIP + "/24 was left where it is (on mdw)")
                .contains("kept /var/lib/gpfo on both hosts").doesNotContain("FAILED");
        for (String host : PAIR) {
            for (String path : List.of("/opt/gpfo/current", "/usr/local/bin/gpfo", "/etc/gpfo/gpfo.yaml", "/etc/sudoers.d/gpfo",
                    "/etc/init.d/gpfo", "/var/run/gpfo/gpfo.pid")) {
                assertThat(exists(host, path)).as("%s left on %s", path, host).isFalse();
            }
            assertThat(onHost(host, "ls /etc/rc[0-6S].d/ | grep gpfo").stdout()).as("rc links on %s", host).isEmpty();
            assertThat(Lab.exec(host, "man", "-w", "gpfo.yaml").ok()).as("man -w gpfo.yaml on %s", host).isFalse();
            // gone, or a zombie that the lab's shared init has not reaped yet: either way not running
            assertThat(onHost(host, "state=$(sed 's/^.*) //' /proc/" + AGENT_PIDS.get(host) + "/stat 2>/dev/null | cut -d' ' -f1);"
                    + " case $state in ''|Z|X) exit 1 ;; esac").ok()).as("the agent on %s is stopped", host).isFalse();
            assertThat(exists(host, "/var/lib/gpfo/state.json")).as("the journal is kept on %s", host).isTrue();
        }
        assertThat(holdsVip("mdw")).as("the VIP is left where it was").isTrue();
        assertThat(exists("smdw", "/etc/sudoers.d/gpadmin-install")).as("the site's own sudoers untouched").isTrue();
    }
}
