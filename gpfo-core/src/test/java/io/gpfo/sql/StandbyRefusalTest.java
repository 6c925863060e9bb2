package io.gpfo.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StandbyRefusalTest {

    /** As the real Greenplum 6.24.3 standby master sent it to psql and pgjdbc on the lab (scripts/lab up --greenplum 6). */
    private static final String DETAIL = "last replayed record at 0/C053948\n- VERSION: PostgreSQL 9.4.26 (Greenplum Database 6.24.3"
            + " build commit:25d3498a400ca5230e81abb94861f23389315213) on x86_64-unknown-linux-gnu, compiled by gcc (Debian"
            + " 12.2.0-14+deb12u1) 12.2.0, 64-bit compiled on Dec  6 2026 22:56:28";

    @Test
    void greenplum6sStandbyMasterRefusalIsAStandbyThatReplayedThatFar() {
        DatabaseStatus status = StandbyRefusal.read("57M02", "the database system is in recovery mode", DETAIL).orElseThrow();

        assertThat(status.inRecovery()).isTrue();
        assertThat(status.serverVersionNum()).isEqualTo(90426);
        assertThat(status.receiver().orElseThrow().replayed()).hasValue("0/C053948");
        assertThat(status.receiver().orElseThrow().received()).as("not said by the refusal").isEmpty();
        assertThat(status.senders()).isEmpty();
    }

    @Test
    void otherRefusalsAreNoAnswer() {
        // a primary starting up or shutting down, a crash restart, too many clients: no role to read
        assertThat(StandbyRefusal.read("57P03", "the database system is starting up", DETAIL)).isEmpty();
        assertThat(StandbyRefusal.read("57P03", "the database system is shutting down", null)).isEmpty();
        assertThat(StandbyRefusal.read("53300", "sorry, too many clients already", null)).isEmpty();
        // the right code and message without a position is not trusted either
        assertThat(StandbyRefusal.read("57M02", "the database system is in recovery mode", "dummy location")).isEmpty();
        assertThat(StandbyRefusal.read("57M02", "the database system is in recovery mode", null)).isEmpty();
        assertThat(StandbyRefusal.read(null, null, null)).isEmpty();
    }
}
