package io.gpfo.lab;

import static io.gpfo.history.EventRecord.Kind.ALERT;
import static io.gpfo.lab.Agents.await;
import static io.gpfo.lab.Agents.awaitEvent;
import static io.gpfo.lab.Agents.awaitPromoted;
import static io.gpfo.lab.Agents.count;
import static io.gpfo.lab.Agents.promotions;
import static io.gpfo.lab.Agents.quietFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.port.CommandResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * gpfo as a systemd service for real (issue 12): mdw and smdw are containers with systemd as PID 1
 * ({@code scripts/lab up --init systemd}). One lab for the class, in order: install, a crashed agent
 * restarted by systemd, host loss with a service stop in the middle of the promotion, the coordinator
 * that promotion started surviving restart and stop of the service, a second crash after it, a reboot,
 * uninstall.
 */
@Tag("lab")
@TestMethodOrder(OrderAnnotation.class)
class SystemdIT {

    private static final String GPFO = Lab.BUILD_IN_HOST + "/bin/gpfo";
    private static final List<String> PAIR = List.of("mdw", "smdw");
    /** CAP_NET_ADMIN (12) and CAP_NET_RAW (13), as /proc/PID/status prints capability sets. */
    private static final String NET_ADMIN_AND_RAW = "0000000000003000";
    private static final String HOLD = "/tmp/gpfo-lab-hold-activation";
    private static final String HELD = "/tmp/gpfo-lab-activation-held";
    /** While it exists the lab's gpactivatestandby restarts the promoted postmaster (as the real -f path's gpstop -r). */
    private static final String RESTART_AFTER_ACTIVATION = "/tmp/gpfo-lab-restart-after-activation";

    @BeforeAll
    static void systemdLab() {
        Lab.lab(Duration.ofMinutes(2), "down");
        // a fresh machine builds the root file system here first (cached afterwards)
        Lab.labOk(Duration.ofMinutes(15), "up", "--init", "systemd");
        Lab.installBuild("mdw");
        Lab.writeConfig("mdw", Lab.config());
        // what a real site sets up before installing: sudo for the SSH user on the standby host
        CommandResult sudo = Lab.exec("smdw", "sh", "-c", "umask 0337 && echo 'gpadmin ALL=(root) NOPASSWD: ALL'"
                + " > /etc/sudoers.d/gpadmin-install && visudo -cqf /etc/sudoers.d/gpadmin-install");
        assertThat(sudo.ok()).as("sudo for gpadmin on smdw: %s", sudo.stderr()).isTrue();
        for (String host : PAIR) {
            // an operator account on both hosts, reachable with the lab's key (gpadmin's on the client)
            CommandResult ops = Lab.exec(host, "sh", "-c", "useradd -m -s /bin/bash ops && usermod -p '*' ops"
                    + " && install -d -m 700 -o ops -g ops /home/ops/.ssh"
                    + " && install -m 600 -o ops -g ops /home/gpadmin/.ssh/authorized_keys /home/ops/.ssh/");
            assertThat(ops.ok()).as("operator account on %s: %s", host, ops.stderr()).isTrue();
        }
    }

    @AfterAll
    static void down() {
        Lab.lab(Duration.ofMinutes(2), "down");
    }

    private static CommandResult onHost(String host, String command) {
        return Lab.exec(host, "sh", "-c", command);
    }

    private static String systemctl(String host, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("systemctl"));
        argv.addAll(List.of(args));
        return Lab.exec(host, argv.toArray(String[]::new)).stdout().strip();
    }

    private static long mainPid(String host) {
        return Long.parseLong(systemctl(host, "show", "-p", "MainPID", "--value", "gpfo.service"));
    }

    /**
     * The main PID of the running agent. Never 0 (between restarts): {@code kill -KILL 0} would
     * signal the test's own process group.
     */
    private static long runningAgentPid(String host) {
        for (int i = 0; i < 100; i++) {
            long pid = mainPid(host);
            if (pid > 0 && "active".equals(systemctl(host, "is-active", "gpfo.service"))) {
                return pid;
            }
            Lab.exec(host, "sleep", "0.3");
        }
        throw new AssertionError("gpfo.service on " + host + " does not run:\n"
                + Lab.exec(host, "systemctl", "status", "--no-pager", "-n", "0", "gpfo.service").stdout()
                + Lab.exec(host, "journalctl", "-u", "gpfo.service", "--no-pager", "-n", "60").stdout());
    }

    /** The agent's lines of this priority only, as journald filed them. */
    private static String journal(String host, String priority) {
        return Lab.exec(host, "journalctl", "-u", "gpfo.service", "--no-pager", "-o", "cat", "-p", priority + ".." + priority)
                .stdout();
    }

    /** The unit's journal at one priority, each line with its process ("gpfo[PID]: …", journalctl's short format). */
    private static List<String> journalWithPids(String host, String priority) {
        return Lab.exec(host, "journalctl", "-u", "gpfo.service", "--no-pager", "-o", "short-unix", "-p", priority + ".." + priority)
                .stdout().lines().toList();
    }

    /** How often each process wrote a line containing {@code text}. */
    static Map<String, Long> perAgentProcess(List<String> lines, String text) {
        Pattern pid = Pattern.compile("\\[(\\d+)\\]: ");
        return lines.stream().filter(line -> line.contains(text)).map(line -> {
            Matcher matcher = pid.matcher(line);
            return matcher.find() ? matcher.group(1) : "unknown: " + line;
        }).collect(Collectors.groupingBy(p -> p, TreeMap::new, Collectors.counting()));
    }

    private static boolean holdsVip(String host) {
        return Lab.exec(host, "ip", "-o", "-4", "addr", "show", "dev", "eth0").stdout().contains(Lab.VIP + "/");
    }

    private static String clientSeesPrimaryViaVip() {
        return Lab.asGpadmin("client", "env", "PGCONNECT_TIMEOUT=1", "psql", "-X", "-h", Lab.VIP, "-U", "gpadmin", "-d",
                "postgres", "-Atc", "select pg_is_in_recovery()").stdout().strip();
    }

    /**
     * An operator logged in on {@code host}: user ops's ssh session from the client with a terminal
     * (sshd registers it in utmp, mode 0620 group tty), after {@code mesg y|n}; what reaches that
     * terminal is recorded by script(1) on the client, in the returned file. Not gpadmin: the agent
     * runs as gpadmin and could write to gpadmin's own terminal whatever mesg says.
     */
    private static String operatorSession(String host, String mesg) {
        String typescript = "/tmp/terminal-" + host + "-mesg-" + mesg;
        // script's stdin is a pipe that stays open and silent: at EOF it would end the session
        CommandResult opened = Lab.exec("client", "setsid", "-f", "sh", "-c", "exec </dev/null >/dev/null 2>&1; rm -f " + typescript
                + "; sleep 600 | runuser -u gpadmin -- script -q -f -c \"ssh -tt -o BatchMode=yes ops@" + host + " 'mesg " + mesg
                + "; echo logged-in; exec sleep 600'\" " + typescript);
        assertThat(opened.ok()).as(opened.stderr()).isTrue();
        await(() -> Lab.exec("client", "cat", typescript).stdout().contains("logged-in")
                && Lab.exec(host, "who").stdout().contains("ops "), Duration.ofSeconds(30), "an operator logged in on " + host);
        return typescript;
    }

    private static void endOperatorSessions() {
        Lab.exec("client", "pkill", "-u", "gpadmin", "-x", "script");
        Lab.exec("client", "pkill", "-f", "^sleep 600$");
    }

    private static String terminal(String typescript) {
        return Lab.exec("client", "cat", typescript).stdout();
    }

    private static long postmasterPid(String host) {
        return Long.parseLong(Lab.exec(host, "head", "-n", "1", Lab.env().get("LAB_DATA_DIR") + "/postmaster.pid").stdout().strip());
    }

    /** The command names of the processes in gpfo.service's cgroup on {@code host}, one a line. */
    private static List<String> processesOfTheUnit(String host) {
        return onHost(host, "for d in /proc/[0-9]*; do grep -qs '/gpfo.service$' $d/cgroup && cat $d/comm; done").stdout()
                .lines().toList();
    }

    /**
     * After the agent stopped, only the coordinator it started stays in its cgroup: its helpers
     * (pings, ssh, wall) end with it instead of lingering, and the postmaster is left alone.
     */
    private static void awaitOnlyThePostmasterLeftInTheUnit(String host, long postmaster) {
        await(() -> processesOfTheUnit(host).stream().allMatch("postgres"::equals), Duration.ofSeconds(20),
                "the agent's helpers on " + host + " to end with it: " + processesOfTheUnit(host));
        assertThat(onHost(host, "grep /gpfo.service /proc/" + postmaster + "/cgroup").ok())
                .as("the postmaster %d started by the promotion is still there, in gpfo.service's cgroup", postmaster).isTrue();
        assertThat(Lab.sql(host, host, "select pg_is_in_recovery()").stdout().strip()).as("it serves as the primary")
                .isEqualTo("f");
    }

    /** {@code kill -9} of the agent; systemd runs it again under a new main PID. */
    private static void killAgentAndAwaitItsRestart(String host) {
        long before = runningAgentPid(host);
        assertThat(Lab.exec(host, "kill", "-KILL", Long.toString(before)).ok()).isTrue();
        await(() -> "active".equals(systemctl(host, "is-active", "gpfo.service")) && mainPid(host) != 0
                && mainPid(host) != before, Duration.ofSeconds(30), "systemd to restart the agent on " + host);
    }

    @Test
    @Order(1)
    void installEnablesAndStartsTheUnitAsGpadminWithOnlyTheTwoNetworkCapabilities() {
        CommandResult installed = Lab.lab(Duration.ofMinutes(5), "exec", "mdw", GPFO, "install", "--init", "systemd", "--yes");
        System.out.printf("gpfo install --init systemd on the lab took %d ms%n", installed.elapsed().toMillis());

        assertThat(installed.exitCode()).as("stderr:\n%s\nstdout:\n%s", installed.stderr(), installed.stdout()).isZero();
        assertThat(installed.stderr()).contains("OK      ran systemctl enable gpfo.service on smdw")
                .contains("OK      ran systemctl enable gpfo.service on mdw").doesNotContain("FAILED");
        String uid = Lab.exec("mdw", "id", "-u", "gpadmin").stdout().strip();
        for (String host : PAIR) {
            assertThat(systemctl(host, "is-enabled", "gpfo.service")).as("enabled on %s", host).isEqualTo("enabled");
            assertThat(systemctl(host, "is-active", "gpfo.service")).as("running on %s", host).isEqualTo("active");
            String status = onHost(host, "cat /proc/" + runningAgentPid(host) + "/status").stdout();
            assertThat(status).as("the agent's process on %s", host).containsPattern("(?m)^Uid:\\s+" + uid + "\\s+" + uid + "\\s")
                    .containsPattern("(?m)^CapEff:\\s+" + NET_ADMIN_AND_RAW + "$")
                    .containsPattern("(?m)^CapPrm:\\s+" + NET_ADMIN_AND_RAW + "$")
                    .containsPattern("(?m)^CapBnd:\\s+" + NET_ADMIN_AND_RAW + "$")
                    .containsPattern("(?m)^NoNewPrivs:\\s+1$");
            assertThat(Lab.exec(host, "systemctl", "status", "--no-pager", "gpfo.service").stdout())
                    .contains("gpfo Greenplum coordinator failover agent").contains("Active: active (running)")
                    .contains("Main PID: " + mainPid(host) + " (java)").contains("agent started on " + host);
        }
        awaitEvent("smdw", io.gpfo.history.EventRecord.Kind.DECISION, "watching", Duration.ofSeconds(30));
        awaitEvent("mdw", io.gpfo.history.EventRecord.Kind.DECISION, "serving", Duration.ofSeconds(30));
        assertThat(journal("smdw", "info")).as("the agent's lines in the journal").isNotBlank();
        assertThat(holdsVip("mdw")).isTrue();
    }

    @Test
    @Order(2)
    void aWarningReachesTheOperatorsTerminalsOnBothHosts() {
        String onMdw = operatorSession("mdw", "y");
        String onSmdw = operatorSession("smdw", "y");
        try {
            // the VIP vanishes from mdw: its agent claims it again and warns (vip-claimed)
            assertThat(Lab.exec("mdw", "ip", "addr", "del", Lab.VIP + "/24", "dev", "eth0").ok()).isTrue();

            await(() -> terminal(onMdw).contains("claiming the VIP") && terminal(onSmdw).contains("claiming the VIP"), Duration.ofSeconds(30),
                    "the warning on the operators' terminals on mdw (the agent's wall) and smdw (wall over SSH)");
            assertThat(terminal(onMdw)).contains("on mdw: ");
            assertThat(journal("mdw", "warning")).contains("WARNING vip-claimed").doesNotContain("alert-delivery");
        } finally {
            endOperatorSessions();
        }
    }

    @Test
    @Order(3)
    void aKilledAgentIsRestartedBySystemd() {
        killAgentAndAwaitItsRestart("smdw");
        quietFor(Duration.ofSeconds(3));
        assertThat(count("smdw", ALERT, "promoting")).isZero();
    }

    @Test
    @Order(4)
    void hostLossPromotesAndAServiceStopDuringThePromotionDoesNotCutGpactivatestandbyOff() throws Exception {
        // an operator on smdw who refuses messages: wall cannot reach them, journald's emerg broadcast can
        String refusing = operatorSession("smdw", "n");
        assertThat(onHost("smdw", "rm -f " + HELD + " && touch " + HOLD + " " + RESTART_AFTER_ACTIVATION).ok()).isTrue();
        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");
        await(() -> Lab.exec("smdw", "test", "-e", HELD).ok(), Duration.ofSeconds(60),
                "gpactivatestandby on smdw to start and reach the lab's hold");

        // systemctl stop waits for the agent, which waits for its promotion: it cannot return yet
        CompletableFuture<CommandResult> stop = CompletableFuture.supplyAsync(
                () -> Lab.lab(Duration.ofMinutes(3), "exec", "smdw", "systemctl", "stop", "gpfo.service"));
        await(() -> "deactivating".equals(systemctl("smdw", "is-active", "gpfo.service")), Duration.ofSeconds(30),
                "gpfo.service on smdw to be stopping");
        assertThat(onHost("smdw", "pgrep -f gpactivatestandby").ok()).as("gpactivatestandby still runs").isTrue();
        assertThat(onHost("smdw", "rm -f " + HOLD).ok()).isTrue();

        CommandResult stopped = stop.get(3, TimeUnit.MINUTES);
        assertThat(stopped.exitCode()).as(stopped.stderr()).isZero();
        assertThat(systemctl("smdw", "is-active", "gpfo.service")).isEqualTo("inactive");
        assertThat(Lab.sql("smdw", "smdw", "select pg_is_in_recovery()").stdout().strip())
                .as("the standby was promoted although the service stopped meanwhile").isEqualTo("f");
        assertThat(promotions("smdw")).as("the promote action finished before the agent exited").isEqualTo(1);
        assertThat(onHost("smdw", "rm " + RESTART_AFTER_ACTIVATION).ok()).isTrue();
        long postmaster = postmasterPid("smdw");
        assertThat(Lab.exec("smdw", "cat", "/proc/" + postmaster + "/cgroup").stdout())
                .as("the promotion restarted the postmaster from the agent's cgroup").contains("/gpfo.service");
        awaitOnlyThePostmasterLeftInTheUnit("smdw", postmaster);

        assertThat(Lab.exec("smdw", "systemctl", "start", "gpfo.service").ok()).isTrue();
        await(() -> holdsVip("smdw"), Duration.ofSeconds(30), "the VIP on smdw (ip under the ambient capabilities)");
        await(() -> "f".equals(clientSeesPrimaryViaVip()), Duration.ofSeconds(30), "the client served through the VIP");
        assertThat(count("smdw", ALERT, "promoting")).isEqualTo(1);
        // journald filed each line at the alert's priority (sd-daemon prefixes on stdout)
        assertThat(journal("smdw", "warning")).contains("WARNING coordinator-suspect");
        assertThat(journal("smdw", "emerg")).contains("EMERGENCY promoting");
        assertThat(journal("smdw", "info")).doesNotContain("EMERGENCY promoting").doesNotContain("WARNING coordinator-suspect");
        await(() -> terminal(refusing).contains("promot"), Duration.ofSeconds(10),
                "the promotion on the terminal of the operator with mesg n (journald's broadcast of emerg)");
        endOperatorSessions();
        // "said once" holds per agent process (README, "Alerts"): the agent systemd started again above may say it once more
        Map<String, Long> saidByAgent = perAgentProcess(journalWithPids("smdw", "warning"),
                "alert-delivery: wall on smdw reaches nobody: 1 terminal(s) logged in (ops on pts/");
        assertThat(saidByAgent).as("agent process -> times said").isNotEmpty();
        assertThat(saidByAgent.values()).as("said once by each agent process").containsOnly(1L);
    }

    @Test
    @Order(5)
    void theCoordinatorStartedByThePromotionSurvivesARestartAndAStopOfTheService() {
        long postmaster = postmasterPid("smdw");
        long agent = runningAgentPid("smdw");

        assertThat(Lab.exec("smdw", "systemctl", "restart", "gpfo.service").ok()).isTrue();
        assertThat(runningAgentPid("smdw")).as("a new agent").isNotEqualTo(agent);
        assertThat(postmasterPid("smdw")).as("the same postmaster").isEqualTo(postmaster);
        assertThat(Lab.sql("smdw", "smdw", "select pg_is_in_recovery()").stdout().strip()).isEqualTo("f");

        assertThat(Lab.exec("smdw", "systemctl", "stop", "gpfo.service").ok()).isTrue();
        assertThat(systemctl("smdw", "is-active", "gpfo.service")).isEqualTo("inactive");
        awaitOnlyThePostmasterLeftInTheUnit("smdw", postmaster);

        assertThat(Lab.exec("smdw", "systemctl", "start", "gpfo.service").ok()).isTrue();
        runningAgentPid("smdw");
        await(() -> "f".equals(clientSeesPrimaryViaVip()), Duration.ofSeconds(30), "the client served through the VIP");
        assertThat(postmasterPid("smdw")).isEqualTo(postmaster);
    }

    @Test
    @Order(6)
    void aKilledAgentAfterThePromotionIsRestartedAndDoesNotPromoteAgain() {
        killAgentAndAwaitItsRestart("smdw");
        quietFor(Duration.ofSeconds(5));
        assertThat(count("smdw", ALERT, "promoting")).as("the journal kept the promotion").isEqualTo(1);
        assertThat(promotions("smdw")).isEqualTo(1);
        assertThat(Lab.exec("smdw", "cat", "/var/lib/gpfo/state.json").stdout()).contains("\"promotions\" : 1");
        assertThat(holdsVip("smdw")).isTrue();
    }

    @Test
    @Order(7)
    void aRebootedHostStartsTheAgentAgainBecauseTheUnitIsEnabled() {
        String before = systemctl("mdw", "show", "-p", "InvocationID", "--value", "gpfo.service");

        CommandResult rebooted = Lab.labOk(Duration.ofMinutes(2), "reboot", "mdw");
        System.out.printf("mdw powered off and booted again in %d ms%n", rebooted.elapsed().toMillis());

        await(() -> "active".equals(systemctl("mdw", "is-active", "gpfo.service")) && mainPid("mdw") != 0,
                Duration.ofSeconds(30), "the agent on mdw after the reboot");
        assertThat(systemctl("mdw", "show", "-p", "InvocationID", "--value", "gpfo.service")).as("started by this boot")
                .isNotBlank().isNotEqualTo(before);
        assertThat(systemctl("mdw", "is-enabled", "gpfo.service")).isEqualTo("enabled");
        assertThat(holdsVip("mdw")).as("a reboot drops the VIP, and nobody gives it back to the old coordinator").isFalse();
    }

    @Test
    @Order(8)
    void uninstallRemovesTheUnitAndItsEnablement() {
        Lab.labOk(Duration.ofSeconds(30), "heal", "mdw");
        long postmaster = postmasterPid("smdw");

        CommandResult removed = Lab.lab(Duration.ofMinutes(5), "exec", "mdw", "/usr/local/bin/gpfo", "uninstall", "--yes");

        assertThat(removed.exitCode()).as("stderr:\n%s", removed.stderr()).isZero();
        for (String host : PAIR) {
            assertThat(onHost(host, "ls /etc/systemd/system/gpfo.service /etc/systemd/system/*.wants/gpfo.service 2>/dev/null")
                    .stdout()).as("unit and enablement on %s", host).isEmpty();
            assertThat(systemctl(host, "is-active", "gpfo.service")).as("on %s", host).isEqualTo("inactive");
            assertThat(Lab.exec(host, "systemctl", "cat", "gpfo.service").ok()).as("systemd forgot the unit on %s", host).isFalse();
        }
        assertThat(postmasterPid("smdw")).as("uninstall stopped the agent, not the coordinator it started").isEqualTo(postmaster);
        assertThat(Lab.sql("smdw", "smdw", "select pg_is_in_recovery()").stdout().strip()).isEqualTo("f");
    }
}
