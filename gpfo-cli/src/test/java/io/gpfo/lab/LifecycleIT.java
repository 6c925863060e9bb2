package io.gpfo.lab;

import static io.gpfo.history.EventRecord.Kind.ALERT;
import static io.gpfo.lab.Agents.await;
import static io.gpfo.lab.Agents.inRecovery;
import static io.gpfo.lab.Agents.awaitEvent;
import static io.gpfo.lab.Agents.awaitPromoted;
import static io.gpfo.lab.Agents.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.port.CommandResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After the failover (issue 11): 'gpfo rejoin' makes the pair whole, the agents protect it again, and
 * 'gpfo switchover' moves the coordinator on purpose without losing a commit. Real agents, real
 * faults, the Greenplum stand-ins (gpinitstandby, gpstop, gpstart); two primaries never serve.
 */
@Tag("lab")
class LifecycleIT extends PairLabTest {


    private void pairWithAgents(String gp) {
        watch = Agents.startPair(gp, "");
    }

    /**
     * A coordinator cut off by a host loss still runs behind the cut: when its link comes back it is a primary
     * on the old timeline until its agent steps down or the new primary's agent fences it (a round or two).
     * That window is the fence's to close, as in FailoverAgentIT; the watch covers everything before and after.
     */
    private void healAndAwaitFence(String old, String primary) {
        // a promotion now ends when the VIP is up, not after its ARPs: the watch may not have sampled enough yet
        await(() -> watch.samples() >= 3, Duration.ofSeconds(30), "the primary watch to take 3 samples");
        assertNoSecondPrimary();
        Lab.labOk(Duration.ofSeconds(30), "heal", old);
        await(() -> count(primary, ALERT, "old-coordinator-fenced") + count(old, ALERT, "stepping-down") > 0,
                Duration.ofSeconds(30), "the returning " + old + " to be fenced");
        await(() -> !"f".equals(inRecovery(old)), Duration.ofSeconds(30), old + " to stop serving as a primary");
        watch = new PrimaryWatch();
    }


    private static String replicationOf(String primary) {
        return Lab.sql(primary, primary, "select application_name || ' ' || state || ' ' || sync_state from pg_stat_replication")
                .stdout().strip();
    }

    private static CommandResult gpfo(String host, String... args) {
        CommandResult result = Lab.gpfo(host, args);
        System.out.println("gpfo " + String.join(" ", args) + " on " + host + " → exit " + result.exitCode() + "\n"
                + result.stderr());
        return result;
    }

    private static String dataDir() {
        return Lab.env().get("LAB_DATA_DIR");
    }

    /** After the coordinator failed and came back fenced: rejoin it, and check the pair streams again. */
    private void rejoin(String primary, String oldCoordinator) {
        CommandResult rejoin = gpfo(primary, "rejoin", "--yes");
        assertThat(rejoin.exitCode()).as(rejoin.stderr()).isZero();
        assertThat(rejoin.stderr()).contains("moved " + dataDir() + " aside to " + dataDir() + ".gpfo-");
        assertThat(inRecovery(oldCoordinator)).isEqualTo("t");
        assertThat(replicationOf(primary)).isEqualTo("gp_walreceiver streaming sync");
        // both agents watch again: the new standby's afresh, the primary's sees it back
        awaitEvent(oldCoordinator, ALERT, "role-change", Duration.ofSeconds(30));
        awaitEvent(primary, ALERT, "standby-back", Duration.ofSeconds(30));
        assertThat(Lab.exec(oldCoordinator, "cat", "/var/lib/gpfo/paused").ok()).as("the rejoin's pause is lifted").isFalse();
    }

    @ParameterizedTest(name = "Greenplum {0}")
    @ValueSource(strings = {"7", Lab.REAL_GREENPLUM_6})
    void failoverRejoinSecondFailoverRejoinAndSwitchoverBackAndForth(String gp) {
        pairWithAgents(gp);

        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");
        awaitPromoted("smdw", 1, Duration.ofSeconds(30));
        healAndAwaitFence("mdw", "smdw");
        rejoin("smdw", "mdw");

        // the pair is protected again: losing the new coordinator promotes the old one, automatically
        Lab.labOk(Duration.ofSeconds(30), "fail", "smdw");
        awaitPromoted("mdw", 1, Duration.ofSeconds(30));
        assertThat(Lab.sql("client", Lab.VIP, "select pg_is_in_recovery()").stdout().strip()).isEqualTo("f");
        healAndAwaitFence("smdw", "mdw");
        rejoin("mdw", "smdw");

        // planned moves: to smdw and back to the original layout
        CommandResult there = gpfo("smdw", "switchover", "--yes");
        assertThat(there.exitCode()).as(there.stderr()).isZero();
        assertThat(there.stderr()).contains("write outage: ");
        assertThat(inRecovery("smdw")).isEqualTo("f");
        assertThat(inRecovery("mdw")).isEqualTo("t");
        CommandResult back = gpfo("mdw", "switchover", "--yes");
        assertThat(back.exitCode()).as(back.stderr()).isZero();
        assertThat(inRecovery("mdw")).isEqualTo("f");
        assertThat(replicationOf("mdw")).isEqualTo("gp_walreceiver streaming sync");
        assertThat(Lab.sql("client", Lab.VIP, "select pg_is_in_recovery()").stdout().strip()).isEqualTo("f");

        CommandResult history = gpfo("mdw", "history", "--limit", "500");
        assertThat(history.exitCode()).as(history.stderr()).isZero();
        assertThat(history.stdout()).contains("command  switchover").contains("command  rejoin").contains("by root")
                .contains("action   promote");
        assertNoSecondPrimary();
    }

    @Test
    void aSwitchoverLosesNoAcknowledgedCommit() {
        // on the stand-in still: on the real Greenplum 6 under writes the standby's refusal kept saying an old replay
        // position, the catch-up wait ran out and gpfo (safely) started mdw again (docs/greenplum.md §10.7)
        pairWithAgents("7");
        // a client commits through the VIP all along; each acknowledged id is printed with the client's clock (ms)
        String writer = "end=$((SECONDS + 25)); i=0; while [ $SECONDS -lt $end ]; do i=$((i + 1));"
                + " PGCONNECT_TIMEOUT=1 psql -X -q -h " + Lab.VIP + " -U gpadmin -d postgres"
                + " -c \"insert into gpfo_lab values ($i, 'switchover')\" >/dev/null 2>&1 && echo $i $(date +%s%3N); sleep 0.05; done";
        CompletableFuture<CommandResult> client = CompletableFuture.supplyAsync(() -> Lab.asGpadmin("client", "bash", "-c", writer));
        Lab.exec("client", "sleep", "3");

        long before = System.currentTimeMillis();
        CommandResult switched = gpfo("smdw", "switchover", "--yes");
        long after = System.currentTimeMillis();
        CommandResult written = client.join();

        assertThat(switched.exitCode()).as(switched.stderr()).isZero();
        List<String[]> commits = written.stdout().lines().map(line -> line.split(" ")).filter(fields -> fields.length == 2).toList();
        List<String> acknowledged = commits.stream().map(fields -> fields[0]).toList();
        // the writes went on through the switch (the lab's hosts share this machine's clock)
        assertThat(commits).as("commits acknowledged before the switchover began").anyMatch(c -> Long.parseLong(c[1]) < before);
        assertThat(commits).as("commits acknowledged after it returned").anyMatch(c -> Long.parseLong(c[1]) > after);
        String present = Lab.sql("smdw", "smdw", "select string_agg(id::text, ' ' order by id) from gpfo_lab where note ="
                + " 'switchover'").stdout().strip();
        assertThat(Arrays.asList(present.split(" "))).containsAll(acknowledged);
        assertThat(inRecovery("mdw")).isEqualTo("t");
        assertNoSecondPrimary();
    }

    @Test
    void refusalsChangeNothing() {
        pairWithAgents("7");

        // the standby does not stream (pointed at a port nobody listens on)
        String conninfo = Lab.sql("smdw", "smdw", "show primary_conninfo").stdout().strip();
        assertThat(conninfo).contains("application_name=gp_walreceiver");
        Lab.sql("smdw", "smdw", "alter system set primary_conninfo = 'host=mdw port=1 user=gpadmin application_name=gp_walreceiver'");
        Lab.sql("smdw", "smdw", "select pg_reload_conf()");
        await(() -> replicationOf("mdw").isEmpty(), Duration.ofSeconds(30), "the standby to stop streaming");
        CommandResult notStreaming = gpfo("smdw", "switchover", "--yes");
        assertThat(notStreaming.exitCode()).isEqualTo(3);
        assertThat(notStreaming.stderr()).contains("FAILED  smdw streams from mdw: no streaming standby on mdw");
        Lab.sql("smdw", "smdw", "alter system set primary_conninfo = '" + conninfo.replace("'", "''") + "'");
        Lab.sql("smdw", "smdw", "select pg_reload_conf()");
        await(() -> replicationOf("mdw").startsWith("gp_walreceiver streaming"), Duration.ofSeconds(30), "streaming again");

        // the peer cannot be reached
        Lab.labOk(Duration.ofSeconds(30), "partition", "smdw", "mdw");
        CommandResult unreachable = gpfo("smdw", "switchover", "--yes");
        Lab.labOk(Duration.ofSeconds(30), "heal-partition", "smdw", "mdw");
        assertThat(unreachable.exitCode()).isEqualTo(3);
        assertThat(unreachable.stderr()).contains("FAILED  mdw answers SQL");

        // rejoin while the old coordinator's postmaster still runs: after a failover, mdw comes back and its
        // postmaster is started by hand (on another port, so no client can reach it)
        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");
        awaitPromoted("smdw", 1, Duration.ofSeconds(30));
        healAndAwaitFence("mdw", "smdw");
        Lab.agents("stop");
        String pgCtl = Lab.env().get("LAB_PGBIN") + "/pg_ctl";
        CommandResult started = Lab.asGpadmin("mdw", pgCtl, "-D", dataDir(), "-o", "-p 5499", "-l", "/tmp/pg-5499.log", "-w",
                "start");
        assertThat(started.exitCode()).as(started.stderr()).isZero();
        CommandResult running = gpfo("smdw", "rejoin", "--yes");
        assertThat(running.exitCode()).isEqualTo(3);
        assertThat(running.stderr()).contains("FAILED  no postmaster runs on mdw").contains("gpfo never touches a running coordinator");
        assertThat(Lab.exec("mdw", "sh", "-c", "ls -d " + dataDir() + ".gpfo-* 2>/dev/null").stdout()).as("nothing moved aside")
                .isEmpty();
        Lab.asGpadmin("mdw", pgCtl, "-D", dataDir(), "-m", "fast", "-w", "stop");
        assertNoSecondPrimary();
    }

    @Test
    void aSwitchoverWhoseStandbyCannotCatchUpStartsTheOldCoordinatorAgain() {
        pairWithAgents("7");
        Lab.sql("smdw", "smdw", "select pg_wal_replay_pause()");
        Lab.sql("mdw", "mdw", "insert into gpfo_lab select g, 'before the switchover' from generate_series(1, 1000) g");

        CommandResult switched = gpfo("smdw", "switchover", "--yes");

        assertThat(switched.exitCode()).isEqualTo(1);
        assertThat(switched.stderr()).contains("FAILED  catch up to ").contains("was started again and serves as before;"
                + " nothing was lost");
        assertThat(inRecovery("mdw")).isEqualTo("f");
        assertThat(inRecovery("smdw")).isEqualTo("t");
        assertThat(Lab.sql("mdw", "mdw", "select count(*) from gpfo_lab where note = 'before the switchover'").stdout().strip())
                .isEqualTo("1000");
        Lab.sql("smdw", "smdw", "select pg_wal_replay_resume()");
        await(() -> replicationOf("mdw").startsWith("gp_walreceiver streaming"), Duration.ofSeconds(30), "streaming again");
        assertThat(Lab.exec("smdw", "cat", "/var/lib/gpfo/paused").ok()).as("the switchover's pause is lifted").isFalse();
        assertNoSecondPrimary();
    }
}
