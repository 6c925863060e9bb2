package io.gpfo.greenplum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlDataTest {

    private static String output(String state, String timeline) {
        return """
                pg_control version number:            1300
                Catalog version number:               202209061
                Database system identifier:           7440170372342069791
                Database cluster state:               %s
                pg_control last modified:             Wed 25 Nov 2026 17:30:02 UTC
                Latest checkpoint location:           0/3000060
                Latest checkpoint's REDO location:    0/3000028
                Latest checkpoint's TimeLineID:       %s
                Latest checkpoint's PrevTimeLineID:   1
                """.formatted(state, timeline);
    }

    @ParameterizedTest
    @CsvSource({
        "in production,false,true", "shut down,true,false", "shut down in recovery,true,false",
        "in archive recovery,false,false", "in crash recovery,false,true", "shutting down,false,false"})
    void tellsACrashFromAPlannedStop(String state, boolean clean, boolean crashed) {
        ControlData data = ControlData.parse(output(state, "2"));

        assertThat(data.clusterState()).isEqualTo(state);
        assertThat(data.cleanlyShutDown()).isEqualTo(clean);
        assertThat(data.crashedPrimary()).isEqualTo(crashed);
        assertThat(data.timeline()).hasValue(2);
    }

    @Test
    void missingStateIsAnError() {
        assertThatThrownBy(() -> ControlData.parse("pg_controldata: fatal: could not open file")).isInstanceOf(IllegalArgumentException.class);
    }
}
