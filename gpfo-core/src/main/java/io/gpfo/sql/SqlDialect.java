package io.gpfo.sql;

/**
 * Replication queries in the two spellings PostgreSQL has had: 9.4 (Greenplum 6:
 * {@code *_location}, {@code pg_xlog_*}) and 10+ (Greenplum 7, Cloudberry: {@code *_lsn},
 * {@code pg_wal_*}). Chosen by the server's own version number, which is what decides the
 * names, so a build with an unusual banner still gets queries that run.
 */
public enum SqlDialect {
    POSTGRES_94("location", "xlog"),
    POSTGRES_10("lsn", "wal");

    private final String position;
    private final String log;

    SqlDialect(String position, String log) {
        this.position = position;
        this.log = log;
    }

    public static SqlDialect forServerVersion(int serverVersionNum) {
        return serverVersionNum >= 100000 ? POSTGRES_10 : POSTGRES_94;
    }

    /** On the primary: one row per WAL sender with its state and how many bytes the standby has yet to replay. */
    public String senders() {
        return "select application_name, state, coalesce(sync_state, ''), "
                + "pg_" + log + "_" + position + "_diff(pg_current_" + log + "_" + position + "(), replay_" + position + ")::bigint "
                + "from pg_stat_replication order by application_name";
    }

    /** On a standby: received and replayed positions and the bytes between them. */
    public String receiver() {
        String received = "pg_last_" + log + "_receive_" + position + "()";
        String replayed = "pg_last_" + log + "_replay_" + position + "()";
        return "select " + received + "::text, " + replayed + "::text, "
                + "pg_" + log + "_" + position + "_diff(" + received + ", " + replayed + ")::bigint";
    }

    /**
     * On a standby: whether the WAL receiver is streaming and seconds since its last message from
     * the primary — the counter-evidence that the coordinator is alive. PostgreSQL 9.4 has no
     * such view; there the heartbeat relies on the other probes.
     */
    public String receiverActivity() {
        return this == POSTGRES_94 ? null
                : "select status, extract(epoch from (now() - last_msg_receipt_time))::float8 from pg_stat_wal_receiver";
    }

    /**
     * The timeline the server runs on, or null where SQL cannot tell. 9.4 has no function for it, but on a primary
     * the name of the current WAL file starts with the timeline in hex; in recovery 9.4 has no current WAL file
     * (and Greenplum 6's standby master answers no SQL anyway). Without it, the promoted master and the old one
     * coming back look alike: seen on the real Greenplum 6 (docs/greenplum.md §10.6).
     */
    public String timeline(boolean inRecovery) {
        if (this == POSTGRES_94) {
            return inRecovery ? null
                    : "select ('x' || substr(pg_xlogfile_name(pg_current_xlog_location()), 1, 8))::bit(32)::int";
        }
        return "select timeline_id from pg_control_checkpoint()";
    }
}
