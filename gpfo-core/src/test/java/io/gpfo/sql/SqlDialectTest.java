package io.gpfo.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlDialectTest {

    @Test
    void greenplum6SpeaksPostgres94() {
        SqlDialect dialect = SqlDialect.forServerVersion(90426);

        assertThat(dialect).isEqualTo(SqlDialect.POSTGRES_94);
        assertThat(dialect.senders()).isEqualTo("select application_name, state, coalesce(sync_state, ''), "
                + "pg_xlog_location_diff(pg_current_xlog_location(), replay_location)::bigint from pg_stat_replication order by application_name");
        assertThat(dialect.receiver()).isEqualTo("select pg_last_xlog_receive_location()::text, pg_last_xlog_replay_location()::text, "
                + "pg_xlog_location_diff(pg_last_xlog_receive_location(), pg_last_xlog_replay_location())::bigint");
        assertThat(dialect.receiverActivity()).isNull();
        // on a primary from its current WAL file's name (the real 6.24.3 promoted master: 000000020000000000000003 → 2)
        assertThat(dialect.timeline(false))
                .isEqualTo("select ('x' || substr(pg_xlogfile_name(pg_current_xlog_location()), 1, 8))::bit(32)::int");
        assertThat(dialect.timeline(true)).as("9.4 in recovery has no current WAL file").isNull();
    }

    @Test
    void greenplum7AndCloudberrySpeakPostgres10Plus() {
        for (int version : new int[] {120012, 140004, 150018}) {
            SqlDialect dialect = SqlDialect.forServerVersion(version);

            assertThat(dialect).isEqualTo(SqlDialect.POSTGRES_10);
            assertThat(dialect.senders()).contains("pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)").doesNotContain("location");
            assertThat(dialect.receiver()).contains("pg_last_wal_receive_lsn()").contains("pg_last_wal_replay_lsn()");
            assertThat(dialect.receiverActivity()).contains("pg_stat_wal_receiver").contains("last_msg_receipt_time");
            assertThat(dialect.timeline(false)).isEqualTo("select timeline_id from pg_control_checkpoint()");
            assertThat(dialect.timeline(true)).isEqualTo("select timeline_id from pg_control_checkpoint()");
        }
    }
}
