package io.gpfo.lab;

import static io.gpfo.lab.Agents.inRecovery;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpfo.port.CommandResult;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gpfo vip, status and promote on the real lab (issue 3). Each test that promotes starts from a
 * fresh lab, because a promotion cannot be undone without gpinitstandby.
 */
@Tag("lab")
class ManualOperationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void freshLab(String gp) {
        Lab.lab(Duration.ofMinutes(2), "down");
        Lab.up(gp);
        Lab.prepareGpfo();
    }

    @AfterAll
    static void down() {
        Lab.lab(Duration.ofMinutes(2), "down");
    }

    private static boolean holdsVip(String host) {
        return Lab.exec(host, "ip", "-o", "-4", "addr", "show", "dev", "eth0").stdout().contains(Lab.VIP + "/");
    }


    @Test
    void vipUpDownAndStatusOnBothHosts() throws Exception {
        freshLab("7");
        assertThat(Lab.gpfo("mdw", "vip", "down").exitCode()).isZero();
        assertThat(holdsVip("mdw")).isFalse();
        assertThat(Lab.sql("client", Lab.VIP, "select 1").ok()).isFalse();
        assertThat(Lab.gpfo("mdw", "vip", "down").exitCode()).as("down is idempotent").isZero();
        CommandResult none = Lab.gpfo("smdw", "vip", "status");
        assertThat(none.exitCode()).isEqualTo(4);
        assertThat(none.stdout()).startsWith("none");

        CommandResult up = Lab.gpfo("mdw", "vip", "up");
        assertThat(up.exitCode()).as(up.stderr()).isZero();
        assertThat(Lab.sql("client", Lab.VIP, "select pg_is_in_recovery()").stdout().strip()).isEqualTo("f");
        assertThat(Lab.gpfo("mdw", "vip", "up").exitCode()).as("up is idempotent").isZero();

        CommandResult refused = Lab.gpfo("smdw", "vip", "up");
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.stderr()).contains("mdw holds the VIP");
        assertThat(holdsVip("smdw")).isFalse();

        CommandResult forced = Lab.gpfo("smdw", "vip", "up", "--force");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        CommandResult both = Lab.gpfo("mdw", "vip", "status", "--json");
        assertThat(both.exitCode()).isEqualTo(4);
        JsonNode json = JSON.readTree(both.stdout());
        assertThat(json.at("/vip/state").asText()).isEqualTo("both");
        assertThat(json.at("/vip/holders")).hasSize(2);
        assertThat(json.at("/health").asText()).isEqualTo("critical");

        assertThat(Lab.gpfo("smdw", "vip", "down").exitCode()).isZero();
        CommandResult ok = Lab.gpfo("smdw", "vip", "status");
        assertThat(ok.exitCode()).as(ok.stdout() + ok.stderr()).isZero();
        assertThat(ok.stdout()).startsWith("ok  " + Lab.VIP + " held by mdw; acting primary mdw");
    }

    @Test
    void statusReportsAHealthyPairAndItsJsonHasTheContractKeys() throws Exception {
        freshLab("7");
        CommandResult table = Lab.gpfo("smdw", "status");
        assertThat(table.exitCode()).as(table.stdout() + table.stderr()).isZero();
        assertThat(table.stdout()).contains("coordinator  mdw").contains("standby*     smdw").contains("health       ok");

        CommandResult result = Lab.gpfo("mdw", "status", "--json");
        assertThat(result.exitCode()).isZero();
        JsonNode json = JSON.readTree(result.stdout());
        assertThat(json.get("cluster").asText()).isEqualTo("lab");
        assertThat(json.get("local_host").asText()).isEqualTo("mdw");
        assertThat(json.get("nodes")).hasSize(2);
        assertThat(json.at("/nodes/0/name").asText()).isEqualTo("coordinator");
        assertThat(json.at("/nodes/0/role").asText()).isEqualTo("primary");
        assertThat(json.at("/nodes/0/vip").asBoolean()).isTrue();
        assertThat(json.at("/nodes/1/role").asText()).isEqualTo("standby");
        assertThat(json.at("/nodes/1/reachable").asBoolean()).isTrue();
        assertThat(json.at("/vip/state").asText()).isEqualTo("ok");
        assertThat(json.at("/replication/state").asText()).isEqualTo("streaming");
        assertThat(json.at("/replication/lag_bytes").isNumber()).isTrue();
        assertThat(json.at("/agent").has("phase")).isTrue();
        assertThat(json.get("health").asText()).isEqualTo("ok");

        // a stopped standby makes the pair degraded
        Lab.labOk(Duration.ofSeconds(60), "stop-db", "smdw");
        CommandResult degraded = Lab.gpfo("mdw", "status", "--json");
        assertThat(degraded.exitCode()).isEqualTo(4);
        JsonNode down = JSON.readTree(degraded.stdout());
        assertThat(down.at("/nodes/1/role").asText()).isEqualTo("down");
        assertThat(down.get("health").asText()).isEqualTo("degraded");
    }

    @Test
    void promoteIsRefusedWhileTheCoordinatorIsHealthy() {
        freshLab("7");
        CommandResult refused = Lab.gpfo("smdw", "promote", "--yes");

        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.stderr()).contains("the coordinator mdw still answers SQL as primary").contains("Nothing was changed");
        // inspected over SSH, the healthy postmaster answers on its own host, though its socket is in /tmp
        // and pg_isready's default is elsewhere (LabClusterIT): gpfo asked the postmaster where it listens
        assertThat(refused.stderr()).contains("evidence: mdw over SSH: postmaster running (pid")
                .contains(", accepting connections on its host");
        assertThat(inRecovery("smdw")).isEqualTo("t");
        assertThat(holdsVip("mdw")).isTrue();
        assertThat(holdsVip("smdw")).isFalse();

        CommandResult notInteractive = Lab.gpfo("smdw", "promote");
        assertThat(notInteractive.exitCode()).isEqualTo(3);
    }

    @Test
    void promoteWithoutYesIsRefusedWhenNobodyCanConfirm() {
        freshLab("7");
        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");

        CommandResult refused = Lab.gpfo("smdw", "promote");

        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.stderr()).contains("refusing without --yes");
        assertThat(inRecovery("smdw")).isEqualTo("t");
    }

    @ParameterizedTest(name = "Greenplum {0} stand-in")
    @ValueSource(strings = {"6", "7"})
    void hostLossThenForcedPromotionServesTheClientFromSmdwWithNoDataLost(String gp) {
        freshLab(gp);
        String marker = "written before the fault, gp " + gp;
        assertThat(Lab.sql("client", Lab.VIP, "insert into gpfo_lab values (1, '" + marker + "')").ok()).isTrue();
        awaitStandbyCaughtUp();

        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");
        CommandResult promote = Lab.gpfo("smdw", "promote", "--force", "--yes");

        assertThat(promote.exitCode()).as(promote.stderr()).isZero();
        assertThat(promote.stderr()).contains("OK      gpactivatestandby").contains("fence pending: mdw");
        assertThat(promote.stderr()).contains("detected Greenplum " + gp)
                .contains(gp.equals("6") ? "MASTER_DATA_DIRECTORY" : "COORDINATOR_DATA_DIRECTORY")
                .contains("standby " + (gp.equals("6") ? "master" : "coordinator") + " has completed successfully");
        assertThat(inRecovery("smdw")).isEqualTo("f");
        assertThat(holdsVip("smdw")).isTrue();
        CommandResult viaVip = Lab.sql("client", Lab.VIP, "select pg_is_in_recovery(), note from gpfo_lab");
        assertThat(viaVip.stdout().strip()).isEqualTo("f|" + marker);
        // mdw is cut off, so the answer can only have come from smdw
        assertThat(Lab.pings("client", "mdw")).isFalse();
    }

    @Test
    void crashedPostmasterOnALiveHostIsFencedAndTheStandbyPromoted() {
        freshLab(Lab.REAL_GREENPLUM_6);
        Lab.labOk(Duration.ofSeconds(60), "kill-db", "mdw");

        CommandResult promote = Lab.gpfo("smdw", "promote", "--force", "--yes");

        assertThat(promote.exitCode()).as(promote.stderr()).isZero();
        assertThat(promote.stderr()).contains("OK      fence: VIP removed from mdw")
                .contains("OK      fence: postmaster on mdw stopped");
        assertThat(holdsVip("mdw")).isFalse();
        assertThat(holdsVip("smdw")).isTrue();
        assertThat(inRecovery("smdw")).isEqualTo("f");
        assertThat(Lab.sql("client", Lab.VIP, "select pg_is_in_recovery()").stdout().strip()).isEqualTo("f");
    }

    @Test
    void crashedPostmasterIsPromotedWithoutForceBecauseTheCrashIsConfirmed() {
        freshLab(Lab.REAL_GREENPLUM_6);
        Lab.labOk(Duration.ofSeconds(60), "kill-db", "mdw");

        CommandResult promote = Lab.gpfo("smdw", "promote", "--yes");

        assertThat(promote.exitCode()).as(promote.stderr()).isZero();
        assertThat(promote.stderr()).contains("mdw over SSH: no postmaster, crashed (in production)")
                .contains("stale lock /tmp/.s.PGSQL.5432.lock removed");
        assertThat(holdsVip("mdw")).isFalse();
        assertThat(holdsVip("smdw")).isTrue();
    }

    @Test
    void aCleanStopIsAPlannedStopAndIsNotPromotedWithoutForce() {
        freshLab(Lab.REAL_GREENPLUM_6);
        Lab.labOk(Duration.ofSeconds(60), "stop-db", "mdw");

        CommandResult refused = Lab.gpfo("smdw", "promote", "--yes");

        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.stderr()).contains("was shut down cleanly");
        assertThat(inRecovery("smdw")).isEqualTo("t");
    }

    @Test
    void aChangedHostKeyIsRefusedWithTheFix() {
        freshLab("7");
        // replace smdw's record of mdw's keys with another host's keys under mdw's names
        CommandResult forged = Lab.exec("smdw", "sh", "-c", "cd /home/gpadmin/.ssh && " + Lab.forgeKnownHostKeys("mdw"));
        assertThat(forged.ok()).as(forged.stderr()).isTrue();

        CommandResult check = Lab.gpfo("smdw", "check");

        assertThat(check.exitCode()).isEqualTo(4);
        assertThat(check.stdout()).contains("FAIL  ssh mdw").contains("has CHANGED").contains("ssh-keyscan");
    }

    private static void awaitStandbyCaughtUp() {
        for (int i = 0; i < 50; i++) {
            String lag = Lab.sql("mdw", "mdw",
                    "select pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) from pg_stat_replication").stdout().strip();
            if (lag.equals("0")) {
                return;
            }
            Lab.exec("mdw", "sleep", "0.2");
        }
        throw new AssertionError("the standby did not catch up");
    }
}
