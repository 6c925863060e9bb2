package io.gpfo.greenplum;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LsnTest {

    @Test
    void parsesAndOrdersAsPostgresqlPrintsThem() {
        assertThat(Lsn.parse("0/3000060")).hasValue(new Lsn(0x3000060L));
        assertThat(Lsn.parse("16/B374D848").get().value()).isEqualTo(0x16_B374D848L);
        assertThat(Lsn.parse("0/3000060").get().atLeast(Lsn.parse("0/3000028").get())).isTrue();
        assertThat(Lsn.parse("0/3000028").get().atLeast(Lsn.parse("0/3000060").get())).isFalse();
        assertThat(Lsn.parse("1/0").get().atLeast(Lsn.parse("0/FFFFFFFF").get())).isTrue();
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF").get().atLeast(Lsn.parse("0/1").get())).isTrue();
        assertThat(Lsn.parse("16/B374D848").get()).hasToString("16/B374D848");
    }

    @Test
    void garbageIsNoPosition() {
        assertThat(Lsn.parse("")).isEmpty();
        assertThat(Lsn.parse(null)).isEmpty();
        assertThat(Lsn.parse("0/")).isEmpty();
        assertThat(Lsn.parse("xyz/1")).isEmpty();
        assertThat(Lsn.parse("1/2/3")).isEmpty();
        assertThat(Lsn.parse("123456789/0")).isEmpty();
    }

    @Test
    void pgControldataGivesTheShutdownCheckpoint() {
        ControlData control = ControlData.parse("""
                Database cluster state:               shut down
                Latest checkpoint location:           0/3000060
                Latest checkpoint's REDO location:    0/3000060
                Latest checkpoint's TimeLineID:       1
                """);

        assertThat(control.cleanlyShutDown()).isTrue();
        assertThat(control.latestCheckpoint()).hasValue(new Lsn(0x3000060L));
    }
}
