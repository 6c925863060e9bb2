package io.gpfo.greenplum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpfo.config.GpfoConfig;
import io.gpfo.port.CommandResult;
import io.gpfo.port.CommandRunner.Command;
import io.gpfo.port.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCommandsTest {

    @TempDir
    Path home;

    private GpfoConfig.Greenplum greenplum() {
        return new GpfoConfig.Greenplum(home, GpfoConfig.GreenplumVersion.AUTO, "gpadmin", "postgres");
    }

    @Test
    void rootRunsTheToolAsTheAdminUserThroughRunuser() {
        Command command = new AdminCommands(greenplum(), true, "root")
                .asAdmin(List.of("gpactivatestandby", "-d", "/data/x", "-a", "-q"), Map.of("PGPORT", "5432"), Duration.ofSeconds(5));

        assertThat(command.argv()).containsExactly("runuser", "-u", "gpadmin", "--", "bash", "-c", AdminCommands.LAUNCH, "gpfo",
                home.resolve("greenplum_path.sh").toString(), "gpactivatestandby", "-d", "/data/x", "-a", "-q");
        assertThat(command.environment()).containsEntry("PGPORT", "5432");
    }

    @Test
    void theAdminUserRunsItDirectlyAndAnyoneElseIsRefused() {
        assertThat(new AdminCommands(greenplum(), false, "gpadmin").asAdmin(List.of("x"), Map.of(), Duration.ofSeconds(1)).argv())
                .startsWith("bash", "-c");
        assertThatThrownBy(() -> new AdminCommands(greenplum(), false, "alice").asAdmin(List.of("x"), Map.of(), Duration.ofSeconds(1)))
                .hasMessageContaining("run gpfo as root or as gpadmin");
    }

    @Test
    void cloudberryEnvironmentScriptIsUsedWhenItIsTheOnlyOne() throws Exception {
        Files.writeString(home.resolve("cloudberry-env.sh"), "");

        assertThat(new AdminCommands(greenplum(), false, "gpadmin").environmentScript()).isEqualTo(home.resolve("cloudberry-env.sh"));
    }

    @Test
    void theLauncherSourcesTheEnvironmentThenPutsTheWrappersFirstAndPassesArgumentsVerbatim() throws Exception {
        Files.writeString(home.resolve("greenplum_path.sh"), "export GPHOME=" + home + "\nexport PATH=/gphome/bin:$PATH\n");
        String me = System.getProperty("user.name");
        GpfoConfig.Greenplum asMe = new GpfoConfig.Greenplum(home, GpfoConfig.GreenplumVersion.AUTO, me, "postgres");
        Command command = new AdminCommands(asMe, false, me)
                .asAdmin(List.of("sh", "-c", "printf '%s|' \"$GPHOME\" \"${PATH%%:*}\" \"$1\"", "sh", "a 'b' $c"),
                        Map.of("GPFO_WRAPPERS", "/wrappers"), Duration.ofSeconds(5));

        CommandResult result = new ProcessRunner().run(command);

        assertThat(result.stdout()).isEqualTo(home + "|/wrappers|a 'b' $c|");
    }
}
