package io.gpfo.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.agent.Agent;
import io.gpfo.node.Role;
import io.gpfo.state.Phase;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoleChecksTest {

    @Test
    void onlyAServingPrimaryAnswersPrimary() {
        assertThat(RoleChecks.primary(Snapshots.primaryServing(Optional.of(Snapshots.streamingStandby(2)))).ok()).isTrue();
        assertThat(RoleChecks.primary(Snapshots.promotedPrimary()).ok()).isTrue();
        assertThat(RoleChecks.primary(Snapshots.standbyWatching(0))).extracting(RoleChecks.Answer::ok, RoleChecks.Answer::reason)
                .containsExactly(false, "not primary: the local database is standby");
        assertThat(RoleChecks.primary(Snapshots.databaseDown()).ok()).isFalse();
        assertThat(RoleChecks.primary(Snapshots.steppedDown()).reason()).isEqualTo("not serving: the agent's phase is stepped_down");
    }

    @Test
    void aPrimaryWhosePeerIsAPrimaryOnTheSameOrANewerTimelineDoesNotAnswerPrimary() {
        // split brain: both would answer, and HAProxy would send clients to both
        assertThat(RoleChecks.primary(Snapshots.primaryServing(Optional.of(Snapshots.primary(2, 0))))).extracting(
                RoleChecks.Answer::ok, RoleChecks.Answer::reason)
                .containsExactly(false, "not serving: the peer is also a primary (timeline 2, here 2)");
        assertThat(RoleChecks.primary(Snapshots.primaryServing(Optional.of(Snapshots.primary(3, 0)))).ok()).isFalse();
        // an old coordinator on an older timeline steps down by itself: the newer one keeps serving
        assertThat(RoleChecks.primary(Snapshots.primaryServing(Optional.of(Snapshots.primary(1, 0)))).ok()).isTrue();
    }

    @Test
    void aPrimaryAfterAFailedPromotionIsNotRoutedTo() {
        Agent.Snapshot failed = Snapshots.snapshot(Snapshots.local(Role.PRIMARY, Snapshots.primary(2, 0)), Optional.empty(), false,
                false, Snapshots.journal(Phase.FAILED));

        assertThat(RoleChecks.primary(failed).ok()).isFalse();
    }

    @Test
    void standbyAnswersOnlyWhileStreaming() {
        assertThat(RoleChecks.standby(Snapshots.standbyWatching(0)).ok()).isTrue();
        Agent.Snapshot notStreaming = Snapshots.snapshot(Snapshots.local(Role.STANDBY, io.gpfo.testing.TestCluster.STANDBY),
                Optional.empty(), false, false, Snapshots.journal(Phase.SUSPECT));
        assertThat(RoleChecks.standby(notStreaming)).extracting(RoleChecks.Answer::ok, RoleChecks.Answer::reason)
                .containsExactly(false, "a standby, but its WAL receiver is not streaming");
        assertThat(RoleChecks.standby(Snapshots.promotedPrimary()).ok()).isFalse();
        assertThat(RoleChecks.standby(Snapshots.databaseDown()).ok()).isFalse();
    }

    @Test
    void healthFollowsTheLocalDatabase() {
        assertThat(RoleChecks.health(Snapshots.standbyWatching(0)).ok()).isTrue();
        assertThat(RoleChecks.health(Snapshots.promotedPrimary()).ok()).isTrue();
        assertThat(RoleChecks.health(Snapshots.databaseDown())).extracting(RoleChecks.Answer::ok, RoleChecks.Answer::reason)
                .containsExactly(false, "the local database does not answer: no postmaster");
    }
}
