package io.gpfo.lifecycle;

import io.gpfo.evidence.EvidenceProbes.PostmasterView;
import io.gpfo.sql.DatabaseStatus;
import io.gpfo.state.Journal;
import java.util.Optional;

/**
 * What a switchover is judged on, from the standby host it runs on: both databases' SQL answers, the
 * coordinator's postmaster over SSH, and both agents' journals (the peer's read over SSH).
 *
 * @param peerJournal empty when the peer has no journal yet or it could not be read ({@code peerJournalProblem})
 */
public record SwitchoverFacts(
        String localHost,
        String peerHost,
        Optional<DatabaseStatus> local,
        String localError,
        Optional<DatabaseStatus> peer,
        String peerError,
        PostmasterView peerPostmaster,
        Optional<Journal> localJournal,
        Optional<Journal> peerJournal,
        String peerJournalProblem) {

    /** The coordinator's sender to this standby, when it streams. */
    public Optional<DatabaseStatus.Sender> streamingSender() {
        return peer.flatMap(status -> status.senders().stream().filter(DatabaseStatus.Sender::streaming).findFirst());
    }
}
