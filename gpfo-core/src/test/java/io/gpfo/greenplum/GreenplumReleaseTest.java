package io.gpfo.greenplum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpfo.greenplum.GreenplumRelease.Family;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GreenplumReleaseTest {

    /** The real banners of docs/greenplum.md §2. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "postgres (Greenplum Database) 6.25.3 build commit:367edc6b4dfd909fe38fc288ade9e294d74e3f9a Open Source|GP6|6.25.3",
        "postgres (Greenplum Database) 7.0.0-beta.5 build commit:08189b6c918790e7bc32184a6661de14fe22c8d5 Open Source|GP7|7.0.0",
        "postgres (Greenplum Database) 7.4.0 build commit:27de6dc6d00607a5630a41fd2c0ad489f40e2ad4|GP7|7.4.0",
        "postgres (Apache Cloudberry) 2.0.0-incubating build dev|CLOUDBERRY|2.0.0",
        "postgres (Cloudberry Database) 1.6.0 build 1|CLOUDBERRY|1.6.0",
        "postgres (Greenplum Database) 7.2.0_arenadata5 build commit:abc|GP7|7.2.0"})
    void parsesRealBanners(String banner, Family family, String version) {
        GreenplumRelease release = GreenplumRelease.parse(banner + "\n");

        assertThat(release.family()).isEqualTo(family);
        assertThat(release.version()).isEqualTo(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "postgres (PostgreSQL) 15.18", "bash: postgres: command not found",
        "PostgreSQL 9.4.26 (Greenplum Database 6.25.3 build commit:367edc6b)", "postgres (Greenplum Database) seven"})
    void garbageIsAClearError(String output) {
        assertThatThrownBy(() -> GreenplumRelease.parse(output)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Greenplum or Cloudberry version banner")
                .hasMessageContaining("set greenplum.version: 6 or 7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres (Greenplum Database) 5.29.0 build commit:x", "postgres (Greenplum Database) 8.0.0"})
    void unsupportedMajorIsNamed(String banner) {
        assertThatThrownBy(() -> GreenplumRelease.parse(banner)).hasMessageContaining("is not supported");
    }

    @ParameterizedTest
    @CsvSource({"GP6,MASTER_DATA_DIRECTORY,master,false", "GP7,COORDINATOR_DATA_DIRECTORY,coordinator,true",
        "CLOUDBERRY,COORDINATOR_DATA_DIRECTORY,coordinator,true"})
    void versionPicksVariableWordingAndDialect(Family family, String variable, String word, boolean lsn) {
        GreenplumRelease release = GreenplumRelease.of(family);

        assertThat(release.dataDirectoryVariable()).isEqualTo(variable);
        assertThat(release.coordinatorWord()).isEqualTo(word);
        assertThat(release.usesLsnNames()).isEqualTo(lsn);
        assertThat(release.activationSuccessText()).isEqualTo("The activation of the standby " + word + " has completed successfully");
    }
}
