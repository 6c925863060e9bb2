package io.gpfo.lab;

import static io.gpfo.history.EventRecord.Kind.ALERT;
import static io.gpfo.history.EventRecord.Kind.DECISION;
import static io.gpfo.lab.Agents.await;
import static io.gpfo.lab.Agents.inRecovery;
import static io.gpfo.lab.Agents.awaitEvent;
import static io.gpfo.lab.Agents.awaitPromoted;
import static io.gpfo.lab.Agents.count;
import static io.gpfo.lab.Agents.message;
import static io.gpfo.lab.Agents.quietFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.port.CommandResult;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fault battery (issue 4) on the real Greenplum 6.24.3 (issue 20): real agents on mdw and smdw, witnesses sdw1
 * and sdw2 (which also run the segments), real faults, the real gpactivatestandby. Every scenario asserts its
 * outcome and that two primaries never served at once.
 */
@Tag("lab")
class FailoverAgentIT extends PairLabTest {

    /** Short repeat so that a persisting alert is seen repeated within a test; a hook that records events. */
    private static final String ALERTS = """
            alerts:
              repeat: 4s
              command: 'echo "$GPFO_EVENT $GPFO_SEVERITY" >> /var/lib/gpfo/hook.log'
            """;


    /** The master's data directory on the real Greenplum 6 the battery runs on. */
    private static final String DATA_DIR = "/data/master/gpseg-1";

    private void clusterWithAgents() {
        watch = Agents.startPair(Lab.REAL_GREENPLUM_6, ALERTS);
    }

    private static int occurrences(String log, String text) {
        return log.split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    private static boolean holdsVip(String host) {
        return Lab.exec(host, "ip", "-o", "-4", "addr", "show", "dev", "eth0").stdout().contains(Lab.VIP + "/");
    }

    private static String clientSeesPrimaryViaVip() {
        return Lab.asGpadmin("client", "env", "PGCONNECT_TIMEOUT=1", "psql", "-X", "-h", Lab.VIP, "-U", "gpadmin", "-d",
                "postgres", "-Atc", "select pg_is_in_recovery()").stdout().strip();
    }


    private static String hookLog(String host) {
        return Lab.exec(host, "cat", "/var/lib/gpfo/hook.log").stdout();
    }

    private void assertNoPromotion() {
        assertThat(count("smdw", ALERT, "promoting")).isZero();
        assertThat(inRecovery("smdw")).isEqualTo("t");
        assertThat(holdsVip("smdw")).isFalse();
        assertNoSecondPrimary();
    }

    @Test
    void hostLossPromotesExactlyOnceAndTheClientIsServedBySmdw() {
        clusterWithAgents();
        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");

        awaitPromoted("smdw", 1, Duration.ofSeconds(30));
        await(() -> "f".equals(clientSeesPrimaryViaVip()), Duration.ofSeconds(15), "the client served through the VIP");
        quietFor(Duration.ofSeconds(5));

        assertThat(count("smdw", ALERT, "promoting")).isEqualTo(1);
        assertThat(message("smdw", ALERT, "promoting")).contains("2 of 2 witnesses agree")
                .contains("gateway " + Lab.GATEWAY + " reachable");
        assertThat(Lab.exec("smdw", "cat", "/var/lib/gpfo/state.json").stdout()).contains("\"promotions\" : 1")
                .contains("\"phase\" : \"fence_pending\"");
        assertThat(holdsVip("smdw")).isTrue();
        assertThat(hookLog("smdw")).contains("promoting emergency");
        assertNoSecondPrimary();
    }

    @Test
    void postmasterKilledOnALiveHostIsPromotedAfterTheCrashIsConfirmedAndFenced() {
        clusterWithAgents();
        Lab.labOk(Duration.ofSeconds(60), "kill-db", "mdw");

        awaitPromoted("smdw", 1, Duration.ofSeconds(30));

        assertThat(message("smdw", ALERT, "promoting")).contains("its database crashed");
        assertThat(Lab.agentLog("smdw")).contains("fence: VIP removed from mdw"); // the promotion's step lines
        assertThat(count("smdw", ALERT, "promoting")).isEqualTo(1);
        assertThat(holdsVip("mdw")).isFalse();
        await(() -> holdsVip("smdw"), Duration.ofSeconds(10), "the VIP on smdw");
        assertThat(clientSeesPrimaryViaVip()).isEqualTo("f");
        assertNoSecondPrimary();
    }

    @Test
    void aCleanStopOfTheCoordinatorIsAPlannedStopAndOnlyAlerts() {
        clusterWithAgents();
        Lab.labOk(Duration.ofSeconds(60), "stop-db", "mdw");

        awaitEvent("smdw", ALERT, "coordinator-stopped", Duration.ofSeconds(30));
        quietFor(Duration.ofSeconds(6));

        assertThat(hookLog("smdw")).contains("coordinator-stopped warning");
        assertNoPromotion();
    }

    @Test
    void aPartitionBetweenTheCoordinatorHostsOnlyIsNotPromotedBecauseTheWitnessesSeeMdw() {
        clusterWithAgents();
        Lab.labOk(Duration.ofSeconds(30), "partition", "smdw", "mdw");

        await(() -> count("smdw", ALERT, "no-quorum") + count("smdw", ALERT, "coordinator-behind-cut") > 0,
                Duration.ofSeconds(30), "smdw to refuse: no witness quorum, or the VIP still answers ARP");
        quietFor(Duration.ofSeconds(8));
        assertNoPromotion();
        Lab.labOk(Duration.ofSeconds(30), "heal-partition", "smdw", "mdw");
    }

    @Test
    void anIsolatedStandbyDoesNotPromote() {
        clusterWithAgents();
        Lab.labOk(Duration.ofSeconds(30), "fail", "smdw");

        awaitEvent("smdw", ALERT, "isolated", Duration.ofSeconds(30));
        quietFor(Duration.ofSeconds(6));
        Lab.labOk(Duration.ofSeconds(30), "heal", "smdw");

        assertThat(message("smdw", ALERT, "isolated")).contains("this host is isolated");
        assertNoPromotion();
        assertThat(holdsVip("mdw")).isTrue();
    }

    @Test
    void fortyPercentPacketLossOnMdwForThirtySecondsIsNoReasonToPromote() {
        clusterWithAgents();
        Instant lossStarted = Instant.now();
        Lab.labOk(Duration.ofSeconds(30), "loss", "mdw", "40");
        // the loss is in effect: smdw's agent sees rounds in which mdw does not answer SQL
        await(() -> count("smdw", DECISION, "suspect") >= 2, Duration.ofSeconds(30),
                "smdw's agent to see suspect rounds under the loss");
        quietFor(Duration.ofSeconds(Math.max(0, Duration.ofSeconds(30).minus(Duration.between(lossStarted, Instant.now())).toSeconds())));
        Lab.labOk(Duration.ofSeconds(30), "loss", "mdw", "0");
        quietFor(Duration.ofSeconds(3));

        assertNoPromotion();
        assertThat(holdsVip("mdw")).isTrue();
    }

    @Test
    void aHungPostmasterIsFencedThenTheStandbyPromoted() {
        clusterWithAgents();
        Lab.labOk(Duration.ofSeconds(30), "stop-proc", "mdw");

        awaitPromoted("smdw", 1, Duration.ofSeconds(60));

        assertThat(message("smdw", ALERT, "promoting")).contains("hung");
        assertThat(Lab.agentLog("smdw")).contains("fence: postmaster"); // the promotion's step lines
        // the hung postmaster was killed by the fence: its pid file names no live process any more
        assertThat(Lab.exec("mdw", "sh", "-c", "kill -0 $(head -1 " + DATA_DIR + "/postmaster.pid) 2>/dev/null"
                + " && ! grep -q '^State:.*Z' /proc/$(head -1 " + DATA_DIR + "/postmaster.pid)/status").exitCode())
                .as("the hung postmaster on mdw still runs").isNotZero();
        assertThat(holdsVip("mdw")).isFalse();
        await(() -> "f".equals(clientSeesPrimaryViaVip()), Duration.ofSeconds(15), "the client served through the VIP");
        assertNoSecondPrimary();
    }

    @Test
    void theVipOnBothHostsIsAlertedRepeatedlyAndTheHookCalled() {
        clusterWithAgents();
        CommandResult forced = Lab.exec("smdw", Lab.BUILD_IN_HOST + "/bin/gpfo", "vip", "up", "--force");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();

        await(() -> occurrences(hookLog("mdw"), "vip-both emergency") >= 2, Duration.ofSeconds(30), "vip-both alerted twice on mdw");
        await(() -> occurrences(hookLog("smdw"), "vip-both emergency") >= 2, Duration.ofSeconds(30), "vip-both alerted twice on smdw");

        assertThat(count("mdw", ALERT, "vip-both")).isGreaterThanOrEqualTo(2);
        Lab.exec("smdw", Lab.BUILD_IN_HOST + "/bin/gpfo", "vip", "down");
        assertNoPromotion();
    }

    @Test
    void restartingTheAgentMidWatchAndAfterPromotionNeverPromotesTwice() {
        clusterWithAgents();
        // killed hard mid-watch, then restarted from its journal
        Lab.exec("smdw", "sh", "-c", "kill -9 $(cat /var/lib/gpfo/agent.pid)");
        // its long-running ping of mdw (.11) dies with it (SIGPIPE at its next line), it is not left behind
        String pingOfMdw = "ping -n -O -i [0-9.]+ " + Lab.address("mdw").replace(".", "\\.") + "$";
        await(() -> !Lab.exec("smdw", "pgrep", "-f", pingOfMdw).ok(), Duration.ofSeconds(5),
                "the killed agent's ping of mdw to end");
        Lab.agents("start");
        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");
        awaitPromoted("smdw", 1, Duration.ofSeconds(30));

        // killed hard after the promotion, restarted twice
        for (int restart = 0; restart < 2; restart++) {
            Lab.exec("smdw", "sh", "-c", "kill -9 $(cat /var/lib/gpfo/agent.pid)");
            Lab.exec("smdw", "sh", "-c", "nohup " + Lab.BUILD_IN_HOST + "/bin/gpfo watch >> /var/lib/gpfo/agent.log 2>&1 &"
                    + " echo $! > /var/lib/gpfo/agent.pid");
            quietFor(Duration.ofSeconds(4));
        }

        assertThat(count("smdw", ALERT, "promoting")).isEqualTo(1);
        assertThat(occurrences(Lab.agentLog("smdw"), "agent started")).isGreaterThanOrEqualTo(4);
        assertThat(Lab.exec("smdw", "cat", "/var/lib/gpfo/state.json").stdout()).contains("\"promotions\" : 1");
        assertThat(Lab.exec("smdw", "sh", "-c", "cat /home/gpadmin/gpAdminLogs/gpactivatestandby_*.log | grep -c 'completed successfully'")
                .stdout().strip()).isEqualTo("1");
        assertNoSecondPrimary();
    }

    @Test
    void theOldCoordinatorComingBackIsFencedAndToldToBeReAdded() {
        clusterWithAgents();
        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");
        awaitPromoted("smdw", 1, Duration.ofSeconds(30));
        watch.close();

        Lab.labOk(Duration.ofSeconds(30), "heal", "mdw");

        await(() -> !holdsVip("mdw"), Duration.ofSeconds(20), "the old coordinator's VIP to be removed");
        await(() -> Lab.exec("mdw", "sh", "-c", "test -e " + DATA_DIR + "/postmaster.pid && kill -0 $(head -1"
                + " " + DATA_DIR + "/postmaster.pid) 2>/dev/null").exitCode() != 0, Duration.ofSeconds(20),
                "the old coordinator's postmaster to stop");
        await(() -> count("smdw", ALERT, "old-coordinator-fenced") + count("mdw", ALERT, "stepping-down") > 0,
                Duration.ofSeconds(20), "the fence to be alerted");
        assertThat(hookLog("smdw") + hookLog("mdw")).containsAnyOf("old-coordinator-fenced critical", "stepping-down emergency");
        assertThat(message("smdw", ALERT, "old-coordinator-fenced") + message("mdw", ALERT, "stepping-down"))
                .contains("as the standby with 'gpfo rejoin'");
        assertThat(holdsVip("smdw")).isTrue();
        assertThat(clientSeesPrimaryViaVip()).isEqualTo("f");
        assertThat(inRecovery("smdw")).isEqualTo("f");
    }

    @Test
    void aPausedAgentDoesNotPromoteOnHostLossButAlerts() {
        clusterWithAgents();
        CommandResult pause = Lab.exec("smdw", Lab.BUILD_IN_HOST + "/bin/gpfo", "pause");
        assertThat(pause.exitCode()).as(pause.stderr()).isZero();
        assertThat(Lab.exec("mdw", "cat", "/var/lib/gpfo/paused").stdout()).contains("indefinitely");
        CommandResult status = Lab.exec("smdw", Lab.BUILD_IN_HOST + "/bin/gpfo", "status", "--json");
        awaitEvent("smdw", DECISION, "paused", Duration.ofSeconds(10));

        Lab.labOk(Duration.ofSeconds(30), "fail", "mdw");
        awaitEvent("smdw", ALERT, "paused-coordinator-down", Duration.ofSeconds(30));
        quietFor(Duration.ofSeconds(6));

        assertThat(hookLog("smdw")).contains("paused-coordinator-down critical");
        assertThat(count("smdw", ALERT, "promoting")).isZero();
        assertThat(inRecovery("smdw")).isEqualTo("t");
        assertThat(status.stdout()).contains("\"phase\":");

        // resume: the agent acts again and promotes (mdw is still gone)
        CommandResult resume = Lab.exec("smdw", Lab.BUILD_IN_HOST + "/bin/gpfo", "resume");
        assertThat(resume.exitCode()).isEqualTo(1); // mdw is unreachable: only smdw resumed, and it says so
        assertThat(resume.stderr()).contains("only this host is resumed");
        awaitPromoted("smdw", 1, Duration.ofSeconds(30));
    }
}
