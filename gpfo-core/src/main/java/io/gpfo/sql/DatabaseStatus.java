package io.gpfo.sql;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** What one SQL visit to a coordinator host's database found. */
public record DatabaseStatus(
        boolean inRecovery,
        int serverVersionNum,
        OptionalInt timeline,
        List<Sender> senders,
        Optional<Receiver> receiver) {

    /** A WAL sender on the primary: to whom, in what state, and the standby's lag in bytes. */
    public record Sender(String applicationName, String state, String syncState, long lagBytes) {
        public boolean streaming() {
            return state.equals("streaming");
        }
    }

    /** The standby's side: positions, local replay lag, and the WAL receiver's activity. */
    public record Receiver(Optional<String> received, Optional<String> replayed, OptionalLong replayLagBytes,
            Optional<String> status, OptionalDouble secondsSinceLastMessage) {
        public boolean streaming() {
            return status.map("streaming"::equals).orElse(false);
        }

        /**
         * How far this standby is known to hold WAL: what it received, else what it replayed (never more than it
         * received); Greenplum 6's standby master tells only the replayed position ({@link StandbyRefusal}).
         */
        public Optional<String> walHeld() {
            return received.or(() -> replayed);
        }
    }

    public boolean primary() {
        return !inRecovery;
    }

    /** The lag in bytes of the first streaming standby, seen from this primary. */
    public OptionalLong standbyLagBytes() {
        return senders.stream().filter(Sender::streaming).mapToLong(Sender::lagBytes).findFirst();
    }
}
