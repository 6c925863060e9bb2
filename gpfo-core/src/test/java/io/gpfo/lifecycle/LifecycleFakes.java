package io.gpfo.lifecycle;

import static io.gpfo.testing.TestCluster.LOCAL;
import static io.gpfo.testing.TestCluster.PEER;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.evidence.EvidenceProbes;
import io.gpfo.pause.PauseControl;
import io.gpfo.port.StepLog;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.state.PauseFile;
import io.gpfo.testing.FakeShell;
import io.gpfo.testing.TestCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the rejoin and switchover tests share, seen from smdw: the peer mdw follows the pause and
 * resume, and mdw can be re-added as the standby of smdw (room for the copy, its directory moved
 * aside, gpinitstandby on smdw starting a standby that streams).
 */
final class LifecycleFakes {

    static final Path DATA = Path.of("/data/coordinator/gpseg-1");
    /** Where the old data directory goes at {@link TestCluster#START}. */
    static final Path ASIDE = Path.of("/data/coordinator/gpseg-1.gpfo-20261130T120000Z");
    /** Command fragments, as {@link FakeShell} matches them. */
    static final String DF = "df -P -B1";
    static final String MOVE_ASIDE = " move-aside ";
    static final String INIT = "gpinitstandby";
    /** The acting primary once gpinitstandby has started its new standby. */
    static final DatabaseStatus PRIMARY_STREAMING = new DatabaseStatus(false, 150018, OptionalInt.of(1),
            List.of(new DatabaseStatus.Sender("gp_walreceiver", "streaming", "sync", 0)), Optional.empty());
    static final long DATABASE_BYTES = 100L << 20;
    static final long FREE_BYTES = 10L << 30;

    private LifecycleFakes() {
    }

    /** mdw writes the pause file and lifts it (with the resume marker) when asked over SSH. */
    static void peerFollowsPauses(TestCluster cluster, Path state) {
        cluster.shell.answer(PEER, pauseOnPeer(state), FakeShell.ok("")).answer(PEER, resumeOnPeer(state), FakeShell.ok(""));
    }

    /** The fragment of the pause file written on mdw. */
    static String pauseOnPeer(Path state) {
        return " pause " + state.resolve(PauseFile.FILE_NAME);
    }

    static String resumeOnPeer(Path state) {
        return " resume " + state;
    }

    /** mdw has room and its directory moves aside; gpinitstandby on smdw starts a standby that streams at once. */
    static void rejoinWorks(TestCluster cluster) {
        cluster.sql.databaseBytes(LOCAL, DATABASE_BYTES);
        cluster.shell.answer(PEER, DF, FakeShell.ok(FREE_BYTES + "\n"))
                .answer(PEER, MOVE_ASIDE, FakeShell.ok(DATABASE_BYTES + "\n"))
                .on(LOCAL, INIT, argv -> {
                    cluster.sql.answers(LOCAL, PRIMARY_STREAMING);
                    return FakeShell.ok("[INFO]:-Successfully created standby coordinator on mdw\n");
                });
    }

    /** A rejoin whose probes run on the calling thread, one after the other. */
    static Rejoin rejoin(TestCluster cluster, PauseControl pauses, StepLog log) {
        return new Rejoin(cluster.access, cluster.sql, probes(cluster), pauses, cluster.clock, log, Runnable::run);
    }

    static EvidenceProbes probes(TestCluster cluster) {
        return new EvidenceProbes(cluster.access, cluster.sql, cluster.vip, Runnable::run);
    }

    /** No pause on smdw, the resume marker left for its agent, and the last command lifted mdw's pause. */
    static void assertPauseLifted(TestCluster cluster, Path state) {
        assertThat(PauseFile.read(state)).isEmpty();
        assertThat(PauseFile.resumeRequested(state)).isTrue();
        List<String> calls = cluster.shell.calls();
        assertThat(calls.get(calls.size() - 1)).startsWith("mdw: sh -c ").endsWith(resumeOnPeer(state));
    }
}
