package io.gpfo.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.port.CommandResult;
import io.gpfo.port.ProcessRunner;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lab itself works: hosts, SSH trust, synchronous streaming replication, VIP, faults, the Greenplum stand-ins
 * (gpinitstandby, gpstop, gpstart, gpactivatestandby), and a clean teardown.
 */
@Tag("lab")
@TestMethodOrder(OrderAnnotation.class)
class LabClusterIT {

    @BeforeAll
    static void up() {
        Lab.up();
    }

    @AfterAll
    static void down() {
        Lab.lab(Duration.ofMinutes(2), "down");
    }

    @Test
    @Order(1)
    void upIsIdempotent() {
        String anchorsBefore = anchors();
        Lab.labOk(Duration.ofMinutes(2), "up");

        // a second up keeps the running hosts (same anchor processes), it does not rebuild them
        assertThat(anchors()).isEqualTo(anchorsBefore).contains("LAB_PID_MDW=");
        assertThat(Lab.labOk(Duration.ofSeconds(30), "status").stdout()).contains("mdw").contains("smdw");
    }

    private static String anchors() {
        return Lab.labOk(Duration.ofSeconds(30), "env").stdout().lines().filter(line -> line.startsWith("LAB_PID_"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    @Order(2)
    void everyHostHasItsOwnNameAndAddressAndTheRootNamespaceHasNone() {
        for (String host : Lab.HOSTS) {
            assertThat(Lab.exec(host, "hostname").stdout().strip()).isEqualTo(host);
        }
        CommandResult rootAddresses = new ProcessRunner().run(Duration.ofSeconds(5), "ip", "-o", "addr");
        assertThat(rootAddresses.stdout()).doesNotContain(Lab.SUBNET_PREFIX);
        CommandResult rootRoutes = new ProcessRunner().run(Duration.ofSeconds(5), "ip", "route");
        assertThat(rootRoutes.stdout()).doesNotContain(Lab.SUBNET_PREFIX);
    }

    @Test
    @Order(3)
    void gpadminSshesBetweenHostsWithStrictHostKeyChecking() {
        CommandResult ssh = Lab.asGpadmin("smdw", "ssh", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=5", "mdw", "hostname");
        assertThat(ssh.exitCode()).as(ssh.stderr()).isZero();
        assertThat(ssh.stdout().strip()).isEqualTo("mdw");

        // and the check is real: with no known host key the same login is refused
        CommandResult unknown = Lab.asGpadmin("smdw", "ssh", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5", "mdw", "hostname");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("Host key verification failed");
    }

    @Test
    @Order(4)
    void theStandbyStreamsFromThePrimary() {
        // synchronous while it streams, like a Greenplum coordinator (docs/greenplum.md §9.3)
        CommandResult replication = Lab.sql("mdw", "mdw", "select application_name, state, sync_state from pg_stat_replication");
        assertThat(replication.stdout().strip()).isEqualTo("gp_walreceiver|streaming|sync");
        // and only the coordinator waits: a promoted standby must not wait for a standby it does not have
        assertThat(Lab.sql("smdw", "smdw", "show synchronous_standby_names").stdout().strip()).isEmpty();
        assertThat(Lab.sql("smdw", "smdw", "select pg_is_in_recovery()").stdout().strip()).isEqualTo("t");
        assertThat(Lab.sql("mdw", "mdw", "select pg_is_in_recovery()").stdout().strip()).isEqualTo("f");
    }

    @Test
    @Order(4)
    void thePostmastersListenOnlyWhereGreenplumDoesNotWhereTheToolsLookByDefault() {
        var env = Lab.env();
        String socketDirectory = env.get("LAB_SOCKET_DIR");
        String pgIsReady = env.get("LAB_PGBIN") + "/pg_isready";
        for (String host : new String[] {"mdw", "smdw"}) {
            // like Greenplum on Debian: libpq's compiled-in socket directory (/var/run/postgresql) finds nothing
            assertThat(Lab.asGpadmin(host, pgIsReady, "-p", "5432").exitCode()).as("pg_isready on %s's default socket", host)
                    .isNotZero();
            CommandResult own = Lab.asGpadmin(host, pgIsReady, "-h", socketDirectory, "-p", "5432");
            assertThat(own.exitCode()).as("pg_isready -h %s on %s: %s", socketDirectory, host, own.stdout()).isZero();
        }
    }

    @Test
    @Order(5)
    void theClientReachesThePrimaryThroughTheVip() {
        CommandResult viaVip = Lab.sql("client", Lab.VIP, "select pg_is_in_recovery(), inet_server_addr()");

        assertThat(viaVip.exitCode()).as(viaVip.stderr()).isZero();
        assertThat(viaVip.stdout().strip()).isEqualTo("f|" + Lab.VIP);
        assertThat(Lab.exec("mdw", "ip", "-o", "addr", "show", "dev", "eth0").stdout()).contains(Lab.VIP + "/24").contains("eth0:0");
        assertThat(Lab.exec("smdw", "ip", "-o", "addr", "show", "dev", "eth0").stdout()).doesNotContain(Lab.VIP);
    }

    @Test
    @Order(6)
    void failCutsTheHostOffAndHealRestoresIt() {
        assertThat(Lab.pings("smdw", "mdw")).isTrue();

        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");
        assertThat(Lab.pings("smdw", "mdw")).isFalse();
        assertThat(Lab.pings("sdw1", "mdw")).isFalse();
        assertThat(Lab.pings("mdw", Lab.GATEWAY)).isFalse();

        Lab.labOk(Duration.ofSeconds(30), "heal", "mdw");
        assertThat(Lab.pings("smdw", "mdw")).isTrue();
        assertThat(Lab.pings("mdw", Lab.GATEWAY)).isTrue();
    }

    @Test
    @Order(7)
    void partitionCutsOnlyBetweenTheTwoHosts() {
        Lab.labOk(Duration.ofSeconds(30), "partition", "smdw", "mdw");
        assertThat(Lab.pings("smdw", "mdw")).isFalse();
        assertThat(Lab.pings("mdw", "smdw")).isFalse();
        assertThat(Lab.pings("sdw1", "mdw")).isTrue();
        assertThat(Lab.pings("smdw", "sdw1")).isTrue();
        assertThat(Lab.pings("smdw", Lab.GATEWAY)).isTrue();

        Lab.labOk(Duration.ofSeconds(30), "heal-partition", "smdw", "mdw");
        assertThat(Lab.pings("smdw", "mdw")).isTrue();
    }

    @Test
    @Order(8)
    void lossDropsAShareOfPacketsAndZeroClearsIt() {
        Lab.labOk(Duration.ofSeconds(30), "loss", "mdw", "100");
        assertThat(Lab.pings("smdw", "mdw")).isFalse();

        Lab.labOk(Duration.ofSeconds(30), "loss", "mdw", "50");
        int lost = Lab.pingLossPercent("smdw", "mdw", 40);
        // each echo crosses the filter twice: about 75 % of round trips are lost, never all or none
        assertThat(lost).isBetween(1, 99);

        Lab.labOk(Duration.ofSeconds(30), "loss", "mdw", "0");
        assertThat(Lab.pingLossPercent("smdw", "mdw", 10)).isZero();
    }

    @Test
    @Order(9)
    void gpfoCheckPassesOnTheLabHosts() {
        for (String host : new String[] {"mdw", "smdw"}) {
            Lab.installBuild(host);
            Lab.writeConfig(host, Lab.config());

            CommandResult check = Lab.gpfo(host, "check");

            assertThat(check.exitCode()).as("%s: %s%s", host, check.stdout(), check.stderr()).isZero();
            assertThat(check.stdout()).contains("OK    vip interface      eth0 is up")
                    .contains("OK    gpactivatestandby").doesNotContain("FAIL");
        }
    }

    @Test
    @Order(10)
    void gpinitstandbyOnTheStandbyIsRefusedAndChangesNothing() {
        String role = Lab.env().get("LAB_GP_VERSION").equals("6") ? "master" : "coordinator";
        CommandResult refused = greenplumTool("smdw", "gpinitstandby -s mdw -a");

        assertThat(refused.exitCode()).as(refused.stdout()).isEqualTo(2);
        assertThat(refused.stdout()).contains("gpinitstandby:smdw:gpadmin-[ERROR]:-Failed to retrieve configuration information")
                .contains("[ERROR]:-Failed to create standby")
                .contains("[ERROR]:-Error initializing standby " + role + ": FATAL:  the database system is in recovery mode");
        assertThat(Lab.sql("mdw", "mdw", "select state, sync_state from pg_stat_replication").stdout().strip())
                .isEqualTo("streaming|sync");
        assertThat(Lab.sql("smdw", "smdw", "select pg_is_in_recovery()").stdout().strip()).isEqualTo("t");
        assertThat(Lab.sql("mdw", "mdw", "select pg_is_in_recovery()").stdout().strip()).isEqualTo("f");
    }

    @Test
    @Order(11)
    void gpstopOnTheStandbyIsRefusedAndChangesNothing() {
        CommandResult refused = greenplumTool("smdw", "gpstop -m -a -M fast");

        assertThat(refused.exitCode()).as(refused.stdout()).isEqualTo(2);
        assertThat(refused.stdout()).contains("gpstop:smdw:gpadmin-[CRITICAL]:-gpstop failed. (Reason=")
                .contains("standby.signal");
        assertThat(Lab.sql("mdw", "mdw", "select state from pg_stat_replication").stdout().strip()).isEqualTo("streaming");
    }

    /**
     * The documented manual switchover and re-adding the old coordinator (docs/greenplum.md §4, §9) with the
     * stand-ins alone: gpstop -m on mdw, gpactivatestandby on smdw, gpinitstandby -s mdw (refused while mdw's
     * directory exists, then a streaming synchronous standby), gpstop -m and gpstart on the new coordinator.
     * Rebuilds the lab for each Greenplum flavour.
     */
    @ParameterizedTest(name = "Greenplum {0} stand-ins")
    @ValueSource(strings = {"6", "7"})
    @Order(50)
    void theOldCoordinatorComesBackAsAStandbyThroughTheStandIns(String gp) {
        Lab.lab(Duration.ofMinutes(2), "down");
        Lab.labOk(Duration.ofMinutes(5), "up", "--gp", gp);
        String role = gp.equals("6") ? "master" : "coordinator";
        String dataDir = Lab.env().get("LAB_DATA_DIR");

        CommandResult stop = greenplumTool("mdw", "gpstop -m -a");
        assertThat(stop.exitCode()).as(stop.stdout()).isZero();
        assertThat(stop.stdout()).contains("Commencing " + capitalized(role) + " instance shutdown with mode='smart'");
        assertThat(clusterState("mdw")).isEqualTo("shut down");
        CommandResult activate = greenplumTool("smdw", "gpactivatestandby -a");
        assertThat(activate.exitCode()).as(activate.stdout()).isZero();
        assertThat(Lab.sql("smdw", "smdw", "select pg_is_in_recovery()").stdout().strip()).isEqualTo("f");

        // the old coordinator's directory is still there: refused, nothing changed
        CommandResult refused = greenplumTool("smdw", "gpinitstandby -s mdw -a");
        assertThat(refused.exitCode()).as(refused.stdout()).isEqualTo(2);
        assertThat(refused.stdout()).contains("[ERROR]:-Data directory already exists on host mdw")
                .contains("[ERROR]:-Error initializing standby " + role + ": " + role + " data directory exists");
        assertThat(clusterState("mdw")).isEqualTo("shut down");
        assertThat(Lab.sql("smdw", "smdw", "select count(*) from pg_stat_replication").stdout().strip()).isEqualTo("0");
        assertThat(Lab.sql("smdw", "smdw", "show synchronous_standby_names").stdout().strip()).isEmpty();
        assertThat(Lab.exec("smdw", "test", "-e", dataDir + "/gpfo_lab_standby").exitCode()).isNotZero();

        // moved aside (kept: it may hold the only copy of late commits), the old host becomes the standby
        assertThat(Lab.asGpadmin("mdw", "mv", dataDir, dataDir + ".old").ok()).isTrue();
        CommandResult init = greenplumTool("smdw", "gpinitstandby -s mdw -a");
        assertThat(init.exitCode()).as(init.stdout()).isZero();
        assertThat(init.stdout()).contains("gpinitstandby:smdw:gpadmin-[INFO]:-Successfully created standby " + role + " on mdw");
        assertThat(Lab.sql("smdw", "smdw", "select application_name, state, sync_state from pg_stat_replication").stdout()
                .strip()).as("gpinitstandby returns once the new standby streams synchronously")
                .isEqualTo("gp_walreceiver|streaming|sync");
        assertThat(Lab.sql("mdw", "mdw", "select pg_is_in_recovery()").stdout().strip()).isEqualTo("t");
        assertThat(Lab.sql("mdw", "mdw", "show synchronous_standby_names").stdout().strip()).isEmpty();
        assertThat(Lab.sql("smdw", "smdw", "insert into gpfo_lab values (2, 'committed with a synchronous standby')").ok())
                .isTrue();
        assertThat(Lab.exec("mdw", "test", "-d", dataDir + ".old").ok()).as("the old directory is kept").isTrue();

        // the clean stop and the start of the new coordinator
        CommandResult stopNew = greenplumTool("smdw", "gpstop -m -a -M fast");
        assertThat(stopNew.exitCode()).as(stopNew.stdout()).isZero();
        assertThat(clusterState("smdw")).isEqualTo("shut down");
        CommandResult start = greenplumTool("smdw", "gpstart -a");
        assertThat(start.exitCode()).as(start.stdout()).isZero();
        assertThat(start.stdout()).contains("[INFO]:-Database successfully started");
        assertThat(Lab.sql("smdw", "smdw", "select pg_is_in_recovery(), count(*) from gpfo_lab").stdout().strip())
                .isEqualTo("f|1");
        CommandResult again = greenplumTool("smdw", "gpstart -a");
        assertThat(again.exitCode()).as("a running coordinator is not started twice").isEqualTo(2);
        assertThat(again.stdout()).contains("[CRITICAL]:-gpstart failed. (Reason='" + capitalized(role) + " instance process running");
        // the standby reconnects to the restarted coordinator by itself
        awaitReplication("smdw", "streaming|sync");
    }

    /** On the lab the previous test left (smdw the coordinator, mdw its synchronous standby): -n, then -r. */
    @Test
    @Order(51)
    void gpinitstandbyStartsAStoppedStandbyAndRemovesIt() {
        String role = Lab.env().get("LAB_GP_VERSION").equals("6") ? "master" : "coordinator";
        String dataDir = Lab.env().get("LAB_DATA_DIR");
        CommandResult running = greenplumTool("smdw", "gpinitstandby -n");
        assertThat(running.exitCode()).as(running.stdout()).isZero();
        assertThat(running.stdout()).contains("[INFO]:-Standy " + role + " is already up and running.");

        Lab.labOk(Duration.ofSeconds(60), "stop-db", "mdw");
        CommandResult started = greenplumTool("smdw", "gpinitstandby -n");
        assertThat(started.exitCode()).as(started.stdout()).isZero();
        assertThat(started.stdout()).contains("[INFO]:-Successfully started standby " + role);
        // gpinitstandby -n returns once the standby streams synchronously
        assertThat(Lab.sql("smdw", "smdw", "select state || '|' || sync_state from pg_stat_replication").stdout().strip())
                .isEqualTo("streaming|sync");

        CommandResult removed = greenplumTool("smdw", "gpinitstandby -r -a");
        assertThat(removed.exitCode()).as(removed.stdout()).isZero();
        assertThat(removed.stdout()).contains("[INFO]:-Successfully removed standby " + role);
        assertThat(Lab.exec("mdw", "test", "-e", dataDir).exitCode()).as("the standby's data directory is deleted").isNotZero();
        assertThat(Lab.sql("smdw", "smdw", "select count(*) from pg_stat_replication").stdout().strip()).isEqualTo("0");
        // without a standby, commits no longer wait for one
        assertThat(Lab.sql("smdw", "smdw", "show synchronous_standby_names").stdout().strip()).isEmpty();
        assertThat(Lab.sql("smdw", "smdw", "insert into gpfo_lab values (3, 'committed without a standby')").ok()).isTrue();

        CommandResult none = greenplumTool("smdw", "gpinitstandby -n");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stdout()).contains("[ERROR]:-Cannot use -n option when standby " + role + " has not yet been configured");
    }

    /** Waits (bounded) until {@code host}'s pg_stat_replication says {@code stateAndSyncState}. */
    private static void awaitReplication(String host, String stateAndSyncState) {
        String seen = "";
        for (int i = 0; i < 150 && !seen.equals(stateAndSyncState); i++) {
            if (i > 0) {
                Lab.exec(host, "sleep", "0.2");
            }
            seen = Lab.sql(host, host, "select state || '|' || sync_state from pg_stat_replication").stdout().strip();
        }
        assertThat(seen).as("pg_stat_replication on %s", host).isEqualTo(stateAndSyncState);
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /**
     * A Greenplum tool as gpadmin on a lab host, the way an operator runs it: greenplum_path.sh sourced,
     * PGPORT and the data-directory variable set.
     */
    private static CommandResult greenplumTool(String host, String commandLine) {
        var env = Lab.env();
        return Lab.asGpadmin(host, "bash", "-c", ". " + env.get("LAB_GPHOME") + "/greenplum_path.sh && export PGPORT="
                + env.get("LAB_PGPORT") + " " + env.get("LAB_DATA_DIR_VAR") + "=" + env.get("LAB_DATA_DIR") + " && "
                + commandLine + " </dev/null");
    }

    /** pg_controldata's "Database cluster state" of a lab host's data directory (docs/greenplum.md §3.3). */
    private static String clusterState(String host) {
        var env = Lab.env();
        return Lab.asGpadmin(host, env.get("LAB_PGBIN") + "/pg_controldata", env.get("LAB_DATA_DIR")).stdout().lines()
                .filter(line -> line.startsWith("Database cluster state:"))
                .map(line -> line.substring("Database cluster state:".length()).strip()).findFirst().orElse("");
    }

    @Test
    @Order(100)
    void downLeavesNoNamespaceProcessOrMount() {
        Lab.down();

        ProcessRunner runner = new ProcessRunner();
        assertThat(runner.run(Duration.ofSeconds(5), "ip", "netns", "list").stdout()).doesNotContain("gpfo-");
        // the lab's directory with a slash: "gpfo-lab" alone also matches the lab lock's flock (/tmp/gpfo-lab.lock)
        assertThat(runner.run(Duration.ofSeconds(5), "pgrep", "-af", Lab.env().get("LAB_DIR") + "/").stdout()).isEmpty();
        assertThat(runner.run(Duration.ofSeconds(5), "pgrep", "-af", "postgres -D /data/").stdout()).isEmpty();
        assertThat(runner.run(Duration.ofSeconds(5), "findmnt", "-rn", "-o", "TARGET").stdout()).doesNotContain("gpfo-lab");
        assertThat(runner.run(Duration.ofSeconds(5), "ls", "/etc/netns").stdout()).doesNotContain("gpfo-");
        // a second down is harmless
        Lab.down();
    }
}
