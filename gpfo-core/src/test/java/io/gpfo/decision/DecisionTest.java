package io.gpfo.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.greenplum.ControlData;
import io.gpfo.node.Inspection;
import io.gpfo.node.Role;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.state.Journal;
import io.gpfo.state.PauseFile;
import io.gpfo.state.Phase;
import io.gpfo.vip.DuplicateProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.gpfo.ssh.SshException;
import io.gpfo.ssh.SshFailure;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision table: one row per situation, from the observation and journal a round starts
 * with to the phase, actions and alert it must produce. Every reason not to promote has a row.
 */
class DecisionTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    static GpfoConfig config(String extra) {
        try {
            return new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false).parse("""
                    coordinator: {host: mdw}
                    standby: {host: smdw}
                    vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                    alerts: {repeat: 60s}
                    """ + extra, Path.of("gpfo.yaml"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static final GpfoConfig CONFIG = config("witnesses: {hosts: [sdw1, sdw2]}\npromotion: {max_lag_bytes: 1000}\n");

    // ------------------------------------------------------------------ building blocks
    static DatabaseStatus standbyDb(Double secondsSinceWal) {
        return new DatabaseStatus(true, 150018, OptionalInt.of(1), List.of(), Optional.of(new DatabaseStatus.Receiver(
                Optional.of("0/3000000"), Optional.of("0/3000000"), OptionalLong.of(0),
                Optional.of(secondsSinceWal == null ? "waiting" : "streaming"),
                secondsSinceWal == null ? OptionalDouble.empty() : OptionalDouble.of(secondsSinceWal))));
    }

    static DatabaseStatus primaryDb(int timeline, boolean withStandby) {
        return new DatabaseStatus(false, 150018, OptionalInt.of(timeline),
                withStandby ? List.of(new DatabaseStatus.Sender("gp_walreceiver", "streaming", "async", 64)) : List.of(), Optional.empty());
    }

    static Observation.Local localStandby() {
        return new Observation.Local(Role.STANDBY, Optional.of(standbyDb(null)), "");
    }

    static Observation.Local localPrimary(int timeline) {
        return new Observation.Local(Role.PRIMARY, Optional.of(primaryDb(timeline, false)), "");
    }

    static List<Observation.PathResult> paths(boolean icmp, boolean ssh, boolean db) {
        return List.of(new Observation.PathResult(Observation.HeartbeatPath.icmp("mdw"), icmp),
                new Observation.PathResult(Observation.HeartbeatPath.tcp("mdw", 22), ssh),
                new Observation.PathResult(Observation.HeartbeatPath.tcp("mdw", 5432), db));
    }

    static Observation.Peer peerAnswers(DatabaseStatus status) {
        return new Observation.Peer(Optional.of(status), paths(true, true, true));
    }

    static final Observation.Peer PEER_SILENT = new Observation.Peer(Optional.empty(), paths(false, false, false));
    static final Observation.Peer PEER_PINGS_ONLY = new Observation.Peer(Optional.empty(), paths(true, false, false));
    static final Observation.Peer PEER_HOST_UP_DB_DOWN = new Observation.Peer(Optional.empty(), paths(true, true, false));

    static Inspection inspection(Inspection.Postmaster postmaster, String state, String process) {
        return new Inspection(postmaster, OptionalLong.of(77), Optional.ofNullable(process),
                Optional.of(new ControlData(state, OptionalInt.of(1))));
    }

    static Observation.WitnessVote vote(String witness, boolean database, boolean icmp) {
        return new Observation.WitnessVote(witness, Optional.of(new Observation.WitnessVote.Reach(database, icmp)));
    }

    static final Observation.Witnesses BOTH_SAY_DOWN = new Observation.Witnesses(2,
            List.of(vote("sdw1", false, false), vote("sdw2", false, false)));
    static final Observation.Witnesses BOTH_SEE_IT = new Observation.Witnesses(2,
            List.of(vote("sdw1", true, true), vote("sdw2", true, true)));
    static final Observation.Witnesses ONE_SILENT = new Observation.Witnesses(2,
            List.of(vote("sdw1", false, false), Observation.WitnessVote.silent("sdw2")));

    /** sdw2's host key changed: SshjRemoteShell refused to connect, so it was not asked. */
    static final Observation.Witnesses ONE_KEY_REFUSED = new Observation.Witnesses(2,
            List.of(vote("sdw1", false, false), Observation.WitnessVote.unasked("sdw2", SshFailure.of(new SshException(
                    SshException.Kind.HOST_KEY, "sdw2", "the host key of sdw2 has CHANGED since it was recorded in"
                    + " /home/gpadmin/.ssh/known_hosts; refusing to connect. If the change is expected: ssh-keygen -R sdw2",
                    null)))));
    static final Observation.Witnesses ONE_UNREACHABLE = new Observation.Witnesses(2,
            List.of(vote("sdw1", false, false), Observation.WitnessVote.unasked("sdw2", SshFailure.of(new SshException(
                    SshException.Kind.UNREACHABLE, "sdw2", "connect to sdw2 port 22 timed out", null)))));

    static Observation.Deep deep(Optional<Inspection> inspection, boolean gateway, Observation.Witnesses witnesses, boolean vipAnswers) {
        return new Observation.Deep(inspection, inspection.isPresent() ? Optional.empty()
                : Optional.of(SshFailure.noAnswer("connect timed out")), gateway, witnesses,
                Optional.of(new DuplicateProbe(vipAnswers, vipAnswers ? Optional.of("aa:bb:cc:dd:ee:ff") : Optional.empty())));
    }

    /** The message is SshjRemoteShell's own; only its kind matters to the decision. */
    static final SshFailure CHANGED_KEY = SshFailure.of(new SshException(SshException.Kind.HOST_KEY, "smdw",
            "the host key of smdw has CHANGED since it was recorded in /home/gpadmin/.ssh/known_hosts (a reinstalled host,"
            + " or someone in the middle); refusing to connect. If the change is expected: ssh-keygen -R smdw -f"
            + " /home/gpadmin/.ssh/known_hosts && ssh-keyscan -p 22 -t ed25519,ecdsa,rsa smdw >> /home/gpadmin/.ssh/known_hosts",
            null));

    static final Observation.Deep HOST_DOWN = deep(Optional.empty(), true, BOTH_SAY_DOWN, false);

    static Observation observe(Observation.Local local, Observation.Peer peer, Observation.Deep deep, boolean localVip,
            Boolean peerVip) {
        return observe(local, peer, deep, new Observation.VipView(localVip, Optional.ofNullable(peerVip), ARP_SILENT));
    }

    static final Optional<DuplicateProbe> ARP_SILENT = Optional.of(DuplicateProbe.NOBODY);

    static Observation observe(Observation.Local local, Observation.Peer peer, Observation.Deep deep, Observation.VipView vip) {
        return new Observation(NOW, local, peer, Optional.ofNullable(deep), vip, Observation.Maintenance.NONE);
    }

    static Observation paused(Observation observation, Instant until) {
        return new Observation(observation.at(), observation.local(), observation.peer(), observation.deep(), observation.vip(),
                new Observation.Maintenance(Optional.of(new PauseFile.Pause(until, PauseFile.BY_OPERATOR)), false));
    }

    static Observation pausedBy(Observation observation, String by) {
        return new Observation(observation.at(), observation.local(), observation.peer(), observation.deep(), observation.vip(),
                new Observation.Maintenance(Optional.of(new PauseFile.Pause(Instant.MAX, by)), false));
    }

    static Journal journal(Phase phase, int failures) {
        return journal(phase, failures, 0);
    }

    static Journal journal(Phase phase, int failures, long lagBytes) {
        return new Journal(phase, NOW.minusSeconds(30), new Journal.Health(failures, Optional.of(NOW.minusSeconds(5)),
                OptionalLong.of(lagBytes)), new Journal.Promotions(0, Optional.empty()),
                new Journal.Activity("", Optional.empty(), Optional.empty()), Map.of());
    }

    static final Journal WATCHING = journal(Phase.WATCHING, 0);
    static final Journal AT_THRESHOLD = journal(Phase.SUSPECT, 2);

    // ------------------------------------------------------------------ the table
    static Stream<Arguments> table() {
        return Stream.of(
                // standby side: healthy and counting
                row("coordinator answers SQL: watching, lag remembered", CONFIG, WATCHING,
                        observe(localStandby(), peerAnswers(primaryDb(1, true)), null, false, false),
                        Phase.WATCHING, null, null, j -> assertThat(j.health().lastLagBytes()).hasValue(64)),
                row("recent WAL is counter-evidence even when every probe fails", CONFIG, AT_THRESHOLD,
                        observe(new Observation.Local(Role.STANDBY, Optional.of(standbyDb(1.5)), ""), PEER_SILENT, HOST_DOWN, false, null),
                        Phase.SUSPECT, null, "coordinator-not-accepting", null),
                row("recent WAL does not outweigh a postmaster seen stopped (SIGSTOP) on its host", CONFIG, AT_THRESHOLD,
                        observe(new Observation.Local(Role.STANDBY, Optional.of(standbyDb(1.5)), ""), PEER_HOST_UP_DB_DOWN,
                                deep(Optional.of(inspection(Inspection.Postmaster.RUNNING, "in production", "T")), true, BOTH_SEE_IT,
                                        true), false, null),
                        Phase.PROMOTING, Action.Promote.class, "promoting", null),
                row("recent WAL with a running, unanswering postmaster: not promoting (overload?)", CONFIG, AT_THRESHOLD,
                        observe(new Observation.Local(Role.STANDBY, Optional.of(standbyDb(0.5)), ""), PEER_HOST_UP_DB_DOWN,
                                deep(Optional.of(inspection(Inspection.Postmaster.RUNNING, "in production", "S")), true, BOTH_SEE_IT,
                                        true), false, null),
                        Phase.SUSPECT, null, "coordinator-not-accepting", null),
                row("the coordinator answers SQL again: the count starts over", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), peerAnswers(primaryDb(1, true)), null, false, false),
                        Phase.WATCHING, null, "coordinator-back", j -> assertThat(j.health().consecutiveFailures()).isZero()),
                row("first failed round: suspect, warning", CONFIG, WATCHING,
                        observe(localStandby(), PEER_SILENT, null, false, null),
                        Phase.SUSPECT, null, "coordinator-suspect", j -> assertThat(j.health().consecutiveFailures()).isEqualTo(1)),
                row("second failed round: still counting, no repeat of the warning", CONFIG, journal(Phase.SUSPECT, 1),
                        observe(localStandby(), PEER_SILENT, null, false, null),
                        Phase.SUSPECT, null, null, j -> assertThat(j.health().consecutiveFailures()).isEqualTo(2)),
                row("threshold without deep evidence yet: wait", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_SILENT, null, false, null), Phase.SUSPECT, null, null, null),
                // standby side: promote
                row("host down, gateway up, witnesses agree, no ARP answer: promote", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_SILENT, HOST_DOWN, false, null),
                        Phase.PROMOTING, Action.Promote.class, "promoting", null),
                row("crash confirmed over SSH: promote (witnesses not needed)", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_HOST_UP_DB_DOWN, deep(Optional.of(inspection(Inspection.Postmaster.NOT_RUNNING,
                                "in production", null)), true, BOTH_SEE_IT, true), false, null),
                        Phase.PROMOTING, Action.Promote.class, "promoting", null),
                row("running postmaster not accepting connections even on its host: hung, promote after fencing", CONFIG,
                        AT_THRESHOLD,
                        observe(localStandby(), PEER_HOST_UP_DB_DOWN, deep(Optional.of(new Inspection(Inspection.Postmaster.RUNNING,
                                OptionalLong.of(77), Optional.of("S"), Optional.of(new ControlData("in production", OptionalInt.of(1))),
                                Optional.of(false))), true, BOTH_SEE_IT, true), false, null),
                        Phase.PROMOTING, Action.Promote.class, "promoting", null),
                row("running postmaster that answers on its own host: a network problem, not promoting", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_HOST_UP_DB_DOWN, deep(Optional.of(new Inspection(Inspection.Postmaster.RUNNING,
                                OptionalLong.of(77), Optional.of("S"), Optional.of(new ControlData("in production", OptionalInt.of(1))),
                                Optional.of(true))), true, BOTH_SEE_IT, true), false, null),
                        Phase.SUSPECT, null, "coordinator-unreachable-network", null),
                row("hung postmaster (SIGSTOP): promote, fenced first by the promotion", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_HOST_UP_DB_DOWN, deep(Optional.of(inspection(Inspection.Postmaster.RUNNING,
                                "in production", "T")), true, BOTH_SEE_IT, true), false, null),
                        Phase.PROMOTING, Action.Promote.class, "promoting", null),
                row("one witness silent, majority of 2 needs 2: no quorum", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_SILENT, deep(Optional.empty(), true, ONE_SILENT, false), false, null),
                        Phase.SUSPECT, null, "no-quorum", null),
                row("quorum 1 with one witness silent: promote", config("witnesses: {hosts: [sdw1, sdw2], quorum: 1}\n"), AT_THRESHOLD,
                        observe(localStandby(), PEER_SILENT, deep(Optional.empty(), true, ONE_SILENT, false), false, null),
                        Phase.PROMOTING, Action.Promote.class, "promoting", null),
                // standby side: every reason not to promote
                row("witnesses still see the coordinator (partition between the pair): no promotion", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_SILENT, deep(Optional.empty(), true, BOTH_SEE_IT, false), false, null),
                        Phase.SUSPECT, null, "no-quorum", null),
                row("gateway unreachable: this host is isolated", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_SILENT, deep(Optional.empty(), false, Observation.Witnesses.NONE, false), false, null),
                        Phase.SUSPECT, null, "isolated", null),
                row("VIP answers ARP although the coordinator does not: a network cut", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_SILENT, deep(Optional.empty(), true, BOTH_SAY_DOWN, true), false, null),
                        Phase.SUSPECT, null, "coordinator-behind-cut", null),
                row("clean shutdown is a planned gpstop: never promote, warn", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_HOST_UP_DB_DOWN, deep(Optional.of(inspection(Inspection.Postmaster.NOT_RUNNING,
                                "shut down", null)), true, BOTH_SEE_IT, false), false, null),
                        Phase.SUSPECT, null, "coordinator-stopped", null),
                row("host answers ping but neither SQL nor SSH: partial evidence, no promotion", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_PINGS_ONLY, deep(Optional.empty(), true, BOTH_SAY_DOWN, false), false, null),
                        Phase.SUSPECT, null, "coordinator-unresponsive", null),
                row("coordinator silent and its host key refused: a critical host-key alert besides the refusal", CONFIG,
                        AT_THRESHOLD, observe(localStandby(), PEER_PINGS_ONLY, deep(Optional.empty(), true, BOTH_SAY_DOWN, false)
                                .withSshFailure(CHANGED_KEY), false, null),
                        Phase.SUSPECT, null, "host-key-unverified", null),
                row("a witness behind a changed host key: no vote, so no quorum, and the critical host-key alert names it",
                        CONFIG, AT_THRESHOLD, observe(localStandby(), PEER_SILENT, deep(Optional.empty(), true, ONE_KEY_REFUSED,
                                false), false, null),
                        Phase.SUSPECT, null, "host-key-unverified", j -> assertThat(j.activity().lastEvent().orElseThrow())
                                .contains("to the witness sdw2 refused").contains("has CHANGED").contains("ssh-keygen -R sdw2")
                                .contains("sdw2 casts no vote")),
                row("a witness behind a changed host key is still no quorum (never a yes)", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_SILENT, deep(Optional.empty(), true, ONE_KEY_REFUSED, false), false, null),
                        Phase.SUSPECT, null, "no-quorum", j -> assertThat(j.alertsSent()).containsKey("host-key-unverified")),
                row("quorum 1: the witness that voted suffices, the refused key is still alerted", config(
                        "witnesses: {hosts: [sdw1, sdw2], quorum: 1}\n"), AT_THRESHOLD,
                        observe(localStandby(), PEER_SILENT, deep(Optional.empty(), true, ONE_KEY_REFUSED, false), false, null),
                        Phase.PROMOTING, Action.Promote.class, "host-key-unverified", null),
                row("an unreachable witness is no vote and no host-key alert", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_SILENT, deep(Optional.empty(), true, ONE_UNREACHABLE, false), false, null),
                        Phase.SUSPECT, null, "no-quorum", j -> assertThat(j.alertsSent())
                                .doesNotContainKey("host-key-unverified")),
                row("a plain SSH timeout is no host-key alert", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_PINGS_ONLY, deep(Optional.empty(), true, BOTH_SAY_DOWN, false), false, null),
                        Phase.SUSPECT, null, "coordinator-unresponsive", j -> assertThat(j.alertsSent())
                                .doesNotContainKey("host-key-unverified")),
                row("healthy pair, the standby's host key changed (seen asking its VIP): critical alert, still serving", CONFIG,
                        journal(Phase.SERVING, 0), observe(localPrimary(1), peerAnswers(standbyDb(0.5)), null,
                                new Observation.VipView(true, Optional.empty(), ARP_SILENT, Optional.of(CHANGED_KEY))),
                        Phase.SERVING, null, "host-key-unverified", j -> assertThat(j.activity().lastEvent().orElseThrow())
                                .contains("has CHANGED").contains("ssh-keygen -R smdw")),
                row("the peer's VIP could not be asked for another reason: no host-key alert", CONFIG, journal(Phase.SERVING, 0),
                        observe(localPrimary(1), peerAnswers(standbyDb(0.5)), null, new Observation.VipView(true,
                                Optional.empty(), ARP_SILENT, Optional.of(SshFailure.of(new SshException(SshException.Kind.UNREACHABLE,
                                        "smdw", "cannot connect to smdw:22: timed out", null))))),
                        Phase.SERVING, null, null, null),
                row("unclear control state: no promotion", CONFIG, AT_THRESHOLD,
                        observe(localStandby(), PEER_HOST_UP_DB_DOWN, deep(Optional.of(inspection(Inspection.Postmaster.NOT_RUNNING,
                                "shutting down", null)), true, BOTH_SEE_IT, false), false, null),
                        Phase.SUSPECT, null, "coordinator-unclear", null),
                row("lag at the last healthy round above the limit: no promotion", CONFIG,
                        journal(Phase.SUSPECT, 2, 5000),
                        observe(localStandby(), PEER_SILENT, HOST_DOWN, false, null),
                        Phase.SUSPECT, null, "lag-too-high", null),
                row("standby never received WAL: no promotion", CONFIG, AT_THRESHOLD,
                        observe(new Observation.Local(Role.STANDBY, Optional.of(new DatabaseStatus(true, 150018, OptionalInt.of(1),
                                List.of(), Optional.of(new DatabaseStatus.Receiver(Optional.empty(), Optional.empty(),
                                        OptionalLong.empty(), Optional.empty(), OptionalDouble.empty())))), ""),
                                PEER_SILENT, HOST_DOWN, false, null),
                        Phase.SUSPECT, null, "standby-not-ready", null),
                row("paused: no promotion, critical alert", CONFIG, AT_THRESHOLD,
                        paused(observe(localStandby(), PEER_SILENT, HOST_DOWN, false, null), Instant.MAX),
                        Phase.PAUSED, null, "paused-coordinator-down", null),
                row("a pause that has ended no longer holds", CONFIG, AT_THRESHOLD,
                        paused(observe(localStandby(), PEER_SILENT, HOST_DOWN, false, null), NOW.minusSeconds(1)),
                        Phase.PROMOTING, Action.Promote.class, "promoting", null),
                row("a failed promotion is never retried", CONFIG, journal(Phase.FAILED, 5),
                        observe(localStandby(), PEER_SILENT, HOST_DOWN, false, null),
                        Phase.FAILED, null, "promotion-failed", null),
                row("a promotion cut short by a restart, still a standby: failed, never retried", CONFIG, journal(Phase.PROMOTING, 3),
                        observe(localStandby(), PEER_SILENT, HOST_DOWN, false, null),
                        Phase.FAILED, null, "promotion-failed", null),
                row("'gpfo resume' after a failed promotion: watching again, counting from the start", CONFIG,
                        journal(Phase.FAILED, 2), new Observation(NOW, localStandby(), PEER_SILENT, Optional.of(HOST_DOWN),
                                Observation.VipView.of(false, Optional.empty()), new Observation.Maintenance(Optional.empty(), true)),
                        Phase.SUSPECT, null, "resumed", j -> assertThat(j.health().consecutiveFailures()).isEqualTo(1)),
                row("a pause keeps a fence owed since the promotion", CONFIG,
                        journal(Phase.FENCE_PENDING, 0).withFencePending(Optional.of("mdw")),
                        paused(observe(localPrimary(2), PEER_SILENT, null, true, null), Instant.MAX),
                        Phase.FENCE_PENDING, null, null, j -> assertThat(j.promotions().fencePendingHost()).hasValue("mdw")),
                row("a rejoin in progress holds the standby's agent back like a pause, and says why", CONFIG, AT_THRESHOLD,
                        pausedBy(observe(localStandby(), PEER_SILENT, HOST_DOWN, false, null), "gpfo rejoin"),
                        Phase.PAUSED, null, "paused-coordinator-down",
                        j -> assertThat(j.activity().lastDecision()).startsWith("paused (gpfo rejoin): watching only")),
                row("a pause on a healthy standby shows as paused", CONFIG, WATCHING,
                        paused(observe(localStandby(), peerAnswers(primaryDb(1, true)), null, false, false), Instant.MAX),
                        Phase.PAUSED, null, null, null),
                row("re-added as a standby after a promotion: watching afresh", CONFIG, journal(Phase.PROMOTED, 0),
                        observe(localStandby(), peerAnswers(primaryDb(2, true)), null, false, true),
                        Phase.WATCHING, null, "role-change", null),
                // primary side
                row("primary with a streaming standby: serving", CONFIG, WATCHING,
                        observe(localPrimary(1), peerAnswers(standbyDb(0.5)), null, true, false),
                        Phase.SERVING, null, null, null),
                row("primary, nobody holds the VIP, peer is a standby: claim it", CONFIG, journal(Phase.SERVING, 0),
                        observe(localPrimary(1), peerAnswers(standbyDb(0.5)), null, false, false),
                        Phase.SERVING, Action.VipUp.class, "vip-claimed", null),
                row("primary, VIP nowhere, peer a standby, but another host answers ARP: do not claim, alert", CONFIG,
                        journal(Phase.SERVING, 0), observe(localPrimary(1), peerAnswers(standbyDb(0.5)), null,
                                new Observation.VipView(false, Optional.of(false), Optional.of(new DuplicateProbe(true,
                                        Optional.of("aa:bb:cc:dd:ee:ff"))))),
                        Phase.SERVING, null, "vip-none", null),
                row("primary, VIP nowhere, no ARP probe: do not claim, alert", CONFIG, journal(Phase.SERVING, 0),
                        observe(localPrimary(1), peerAnswers(standbyDb(0.5)), null, new Observation.VipView(false,
                                Optional.of(false), Optional.empty())),
                        Phase.SERVING, null, "vip-none", null),
                row("promoted without the VIP, old coordinator unreachable, nobody answers ARP: claim it", CONFIG,
                        journal(Phase.FENCE_PENDING, 0).withFencePending(Optional.of("mdw")),
                        observe(localPrimary(2), PEER_SILENT, null, false, null),
                        Phase.FENCE_PENDING, Action.VipUp.class, "vip-claimed", null),
                row("primary, VIP nowhere, peer unknown: do not claim, alert", CONFIG, journal(Phase.SERVING, 0),
                        observe(localPrimary(1), PEER_SILENT, null, false, false),
                        Phase.SERVING, null, "vip-none", null),
                row("VIP on both hosts: emergency, repeated", CONFIG, journal(Phase.SERVING, 0),
                        observe(localPrimary(1), peerAnswers(standbyDb(0.5)), null, true, true),
                        Phase.SERVING, null, "vip-both", null),
                row("fence pending and the old coordinator is back: fence it", CONFIG,
                        journal(Phase.FENCE_PENDING, 0).withFencePending(Optional.of("mdw")),
                        observe(localPrimary(2), peerAnswers(primaryDb(1, false)), null, true, true),
                        Phase.FENCE_PENDING, Action.FencePeer.class, "fence-pending", null),
                row("fence pending, but the old coordinator was re-added as a standby: no fence owed, the pair is whole",
                        CONFIG, journal(Phase.FENCE_PENDING, 0).withFencePending(Optional.of("mdw")),
                        observe(localPrimary(2), peerAnswers(standbyDb(0.3)), null, true, false),
                        Phase.SERVING, null, "standby-back", j -> assertThat(j.promotions().fencePendingHost()).isEmpty()),
                row("fence pending while the old coordinator is still gone: keep waiting, alert", CONFIG,
                        journal(Phase.FENCE_PENDING, 0).withFencePending(Optional.of("mdw")),
                        observe(localPrimary(2), PEER_SILENT, null, true, null),
                        Phase.FENCE_PENDING, null, "fence-pending", null),
                row("old coordinator meets a primary on a newer timeline: step down", CONFIG, journal(Phase.SERVING, 0),
                        observe(localPrimary(1), peerAnswers(primaryDb(2, false)), null, true, true),
                        Phase.STEPPED_DOWN, Action.StepDown.class, "stepping-down", null),
                row("two primaries on the same timeline: split brain, touch nothing", CONFIG, journal(Phase.SERVING, 0),
                        observe(localPrimary(1), peerAnswers(primaryDb(1, false)), null, true, false),
                        Phase.SERVING, null, "split-brain", null),
                row("promoted, and the old coordinator streams as a standby again: serving", CONFIG, journal(Phase.PROMOTED, 0),
                        observe(localPrimary(2), peerAnswers(standbyDb(0.2)), null, true, false),
                        Phase.SERVING, null, "standby-back", null),
                row("restart between activation and the journal write: promoted, fence pending", CONFIG, journal(Phase.PROMOTING, 3),
                        observe(localPrimary(2), PEER_SILENT, null, true, null),
                        Phase.FENCE_PENDING, null, "fence-pending", j -> assertThat(j.promotions().count()).isEqualTo(1)),
                // no local database
                row("local database down: warn", CONFIG, WATCHING,
                        observe(new Observation.Local(Role.DOWN, Optional.empty(), "no postmaster"), peerAnswers(primaryDb(1, false)),
                                null, false, false),
                        Phase.DOWN, null, "local-database-down", null),
                row("stepped down and stopped: quiet", CONFIG, journal(Phase.STEPPED_DOWN, 0),
                        observe(new Observation.Local(Role.DOWN, Optional.empty(), "no postmaster"), peerAnswers(primaryDb(2, false)),
                                null, false, true),
                        Phase.STEPPED_DOWN, null, null, null));
    }

    @Test
    void steppingDownIsOneAlertButFencingThePeerStillAlertsVipOnBoth() {
        Outcome outcome = new Decision(CONFIG, "mdw", "smdw").decide(
                observe(localPrimary(1), peerAnswers(primaryDb(2, false)), null, true, true), journal(Phase.SERVING, 0));

        assertThat(outcome.actions()).singleElement().isInstanceOf(Action.StepDown.class);
        assertThat(outcome.alerts()).extracting(Alert::event).containsExactly(Event.STEPPING_DOWN);

        Outcome fencing = new Decision(CONFIG, "smdw", "mdw").decide(
                observe(localPrimary(2), peerAnswers(primaryDb(1, false)), null, true, true),
                journal(Phase.FENCE_PENDING, 0).withFencePending(Optional.of("mdw")));
        assertThat(fencing.actions()).singleElement().isInstanceOf(Action.FencePeer.class);
        assertThat(fencing.alerts()).extracting(Alert::event).contains(Event.VIP_BOTH);
    }

    static Arguments row(String situation, GpfoConfig config, Journal journal, Observation observation, Phase phase,
            Class<? extends Action> action, String alert, java.util.function.Consumer<Journal> more) {
        return Arguments.of(situation, config, journal, observation, phase, action, alert, more);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String situation, GpfoConfig config, Journal journal, Observation observation, Phase phase,
            Class<? extends Action> action, String alert, java.util.function.Consumer<Journal> more) {
        Outcome outcome = new Decision(config, "smdw", "mdw").decide(observation, journal);

        assertThat(outcome.journal().phase()).as("phase: %s", outcome.reason()).isEqualTo(phase);
        if (action == null) {
            assertThat(outcome.actions()).as("no action: %s", outcome.reason()).isEmpty();
        } else {
            assertThat(outcome.actions()).as(outcome.reason()).singleElement().isInstanceOf(action);
        }
        if (alert == null) {
            assertThat(outcome.alerts()).as(outcome.reason()).isEmpty();
        } else {
            assertThat(outcome.alerts()).extracting(raised -> raised.event().key()).as(outcome.reason()).contains(alert);
        }
        assertThat(outcome.reason()).isNotBlank();
        if (more != null) {
            more.accept(outcome.journal());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 59})
    void aPersistingConditionIsRepeatedOnlyEveryAlertsRepeat(int secondsLater) {
        Decision decision = new Decision(CONFIG, "smdw", "mdw");
        Observation both = observe(localPrimary(1), peerAnswers(standbyDb(0.5)), null, true, true);
        Outcome first = decision.decide(both, journal(Phase.SERVING, 0));
        assertThat(first.alerts()).extracting(Alert::event).containsExactly(Event.VIP_BOTH);

        Observation again = new Observation(NOW.plusSeconds(secondsLater), both.local(), both.peer(), both.deep(), both.vip(),
                both.maintenance());
        assertThat(decision.decide(again, first.journal()).alerts()).isEmpty();

        Observation aMinuteLater = new Observation(NOW.plus(Duration.ofSeconds(60)), both.local(), both.peer(), both.deep(),
                both.vip(), both.maintenance());
        Outcome repeated = decision.decide(aMinuteLater, first.journal());
        assertThat(repeated.alerts()).extracting(Alert::event).containsExactly(Event.VIP_BOTH);

        // once resolved it is forgotten, so a recurrence alerts at once
        Observation fixed = observe(localPrimary(1), peerAnswers(standbyDb(0.5)), null, true, false);
        Outcome resolved = decision.decide(fixed, repeated.journal());
        assertThat(resolved.journal().alertsSent()).doesNotContainKey("vip-both");
    }

    @org.junit.jupiter.api.Test
    void deepEvidenceIsWantedOnlyAtTheThresholdOnAStandbyWhoseCoordinatorFails() {
        Decision decision = new Decision(CONFIG, "smdw", "mdw");
        Observation failing = observe(localStandby(), PEER_SILENT, null, false, null);

        assertThat(decision.wantsDeepEvidence(failing, journal(Phase.SUSPECT, 1))).isFalse();
        assertThat(decision.wantsDeepEvidence(failing, AT_THRESHOLD)).isTrue();
        assertThat(decision.wantsDeepEvidence(observe(localStandby(), peerAnswers(primaryDb(1, true)), null, false, null),
                AT_THRESHOLD)).isFalse();
        assertThat(decision.wantsDeepEvidence(failing, journal(Phase.PROMOTED, 2))).isFalse();
        assertThat(decision.wantsDeepEvidence(failing, journal(Phase.FAILED, 2))).isFalse();
        assertThat(decision.wantsDeepEvidence(observe(localPrimary(1), PEER_SILENT, null, true, null), AT_THRESHOLD)).isFalse();
    }

    @Test
    void afterAnActionTheJournalSaysWhatHappened() {
        Decision decision = new Decision(CONFIG, "smdw", "mdw");
        Action promote = new Action.Promote("evidence");
        Journal promoting = journal(Phase.PROMOTING, 3);

        Journal fenced = decision.after(promote, new Decision.ActionResult(true, true, "ok"), promoting, NOW).journal();
        assertThat(fenced.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(fenced.promotions().count()).isEqualTo(1);
        Journal pending = decision.after(promote, new Decision.ActionResult(true, false, "ok"), promoting, NOW).journal();
        assertThat(pending.phase()).isEqualTo(Phase.FENCE_PENDING);
        assertThat(pending.promotions().fencePendingHost()).hasValue("mdw");
        assertThat(decision.after(promote, new Decision.ActionResult(false, false, "exit 2"), promoting, NOW).journal().phase())
                .isEqualTo(Phase.FAILED);

        Action fence = new Action.FencePeer("back");
        Decision.AfterAction done = decision.after(fence, new Decision.ActionResult(true, true, "mdw: VIP removed"), pending, NOW);
        assertThat(done.journal().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(done.journal().promotions().fencePendingHost()).isEmpty();
        assertThat(done.alerts()).extracting(Alert::event).containsExactly(Event.OLD_COORDINATOR_FENCED);
        Decision.AfterAction failed = decision.after(fence, new Decision.ActionResult(false, false, "ssh failed"), pending, NOW);
        assertThat(failed.journal().phase()).isEqualTo(Phase.FENCE_PENDING);
        assertThat(failed.alerts()).isEmpty();

        assertThat(decision.after(new Action.VipUp("free"), new Decision.ActionResult(false, false, "ip failed"), pending, NOW)
                .journal().activity().lastEvent()).hasValue("VIP claim failed: ip failed");
        assertThat(decision.after(new Action.StepDown("newer"), new Decision.ActionResult(true, false, "mdw: VIP removed"),
                pending, NOW).journal().activity().lastEvent()).hasValue("stepped down: mdw: VIP removed");
    }

    @Test
    void suspectWhileThePeerFailsAndNoPromotionWasTried() {
        Decision decision = new Decision(CONFIG, "smdw", "mdw");

        assertThat(decision.suspect(WATCHING)).isFalse();
        assertThat(decision.suspect(journal(Phase.SUSPECT, 1))).isTrue();
        assertThat(decision.suspect(journal(Phase.PROMOTED, 1))).isFalse();
        assertThat(decision.suspect(journal(Phase.FAILED, 4))).isFalse();
    }
}
