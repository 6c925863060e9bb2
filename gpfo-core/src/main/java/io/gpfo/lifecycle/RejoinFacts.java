package io.gpfo.lifecycle;

import io.gpfo.evidence.EvidenceProbes.PostmasterView;
import io.gpfo.node.NodeName;
import io.gpfo.sql.DatabaseStatus;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a rejoin is judged on: which host is the acting primary (the one whose database answers SQL
 * out of recovery), what the other host (the target) runs, whether a standby is configured, and
 * whether the target has room for a full copy.
 *
 * @param actingPrimary    empty when no host, or both, answer as primary ({@code primaryProblem} says which)
 * @param primaryStatus    the acting primary's SQL answer
 * @param targetPostmaster the target's data directory seen over SSH (or why SSH failed)
 * @param targetStatus     the target's SQL answer, when its database runs
 * @param databaseBytes    the acting primary's databases' size; empty when it could not be asked ({@code sizeProblem})
 * @param targetFreeBytes  free space where the target's data directory goes; empty when unknown ({@code freeProblem})
 */
public record RejoinFacts(
        Optional<NodeName> actingPrimary,
        String primaryProblem,
        Optional<DatabaseStatus> primaryStatus,
        NodeName target,
        String targetHost,
        Path dataDirectory,
        PostmasterView targetPostmaster,
        Optional<DatabaseStatus> targetStatus,
        OptionalLong databaseBytes,
        String sizeProblem,
        OptionalLong targetFreeBytes,
        String freeProblem) {

    /** A standby that the acting primary sends WAL to (gpinitstandby's gp_walreceiver), in any state. */
    public boolean standbyConfigured() {
        return primaryStatus.map(status -> !status.senders().isEmpty()).orElse(false);
    }

    /** The acting primary streams to a standby. */
    public boolean standbyStreaming() {
        return primaryStatus.map(status -> status.senders().stream().anyMatch(DatabaseStatus.Sender::streaming)).orElse(false);
    }

    /** The target runs a database in recovery: a standby already (perhaps still catching up). */
    public boolean targetIsStandby() {
        return targetStatus.map(DatabaseStatus::inRecovery).orElse(false);
    }
}
