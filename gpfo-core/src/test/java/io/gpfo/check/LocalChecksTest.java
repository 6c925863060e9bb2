package io.gpfo.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.check.CheckResult.Status;
import io.gpfo.config.ConfigLoader;
import io.gpfo.config.GpfoConfig;
import io.gpfo.port.Executables;
import io.gpfo.port.FakeCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalChecksTest {

    @TempDir
    Path dir;

    private Path bin;
    private Path gphome;
    private Path state;
    private final FakeCommandRunner runner = new FakeCommandRunner();

    @BeforeEach
    void hostWithEverything() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("ip", "arping", "ping")) {
            executable(bin.resolve(tool));
        }
        gphome = Files.createDirectories(dir.resolve("greenplum-db"));
        Files.writeString(gphome.resolve("greenplum_path.sh"), "export GPHOME=" + gphome + "\n");
        executable(Files.createDirectories(gphome.resolve("bin")).resolve("gpactivatestandby"));
        state = Files.createDirectories(dir.resolve("state"));
        runner.answer(bin.resolve("ip") + " -o link show dev eth0", 0,
                "2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT\n");
        runner.answer("getent passwd gpadmin", 0, "gpadmin:*:1000:1000::/home/gpadmin:/bin/bash\n");
    }

    private static void executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<CheckResult> run() throws Exception {
        GpfoConfig config = new ConfigLoader(user -> Optional.of(Path.of("/home", user)), false).parse("""
                coordinator: {host: mdw}
                standby: {host: smdw}
                vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                greenplum: {home: %s}
                state: {directory: %s}
                """.formatted(gphome, state), Path.of("gpfo.yaml"));
        return new LocalChecks(config, runner, new Executables(List.of(bin))).run();
    }

    @Test
    void allGoodHostPassesEveryCheck() throws Exception {
        List<CheckResult> results = run();

        assertThat(results).extracting(CheckResult::name).containsExactly("tool ip", "tool arping", "tool ping",
                "greenplum home", "gpactivatestandby", "vip interface", "admin user", "state directory", "java runtime");
        assertThat(results).allSatisfy(result -> assertThat(result.status()).as(result.line()).isEqualTo(Status.OK));
        assertThat(results.get(5).line()).isEqualTo("OK    vip interface      eth0 is up");
    }

    @Test
    void missingToolFailsAndNamesThePackage() throws Exception {
        Files.delete(bin.resolve("arping"));

        CheckResult arping = run().get(1);

        assertThat(arping.status()).isEqualTo(Status.FAIL);
        assertThat(arping.line()).contains("arping not found").contains("fix: install the package iputils-arping");
    }

    @Test
    void cloudberryEnvScriptIsAccepted() throws Exception {
        Files.move(gphome.resolve("greenplum_path.sh"), gphome.resolve("cloudberry-env.sh"));

        assertThat(run().get(3).line()).isEqualTo("OK    greenplum home     " + gphome + " has cloudberry-env.sh");
    }

    @Test
    void greenplumHomeWithoutEnvironmentScriptFails() throws Exception {
        Files.delete(gphome.resolve("greenplum_path.sh"));

        CheckResult home = run().get(3);

        assertThat(home.status()).isEqualTo(Status.FAIL);
        assertThat(home.detail()).contains("has neither greenplum_path.sh nor cloudberry-env.sh");
    }

    @Test
    void missingGpactivatestandbyFails() throws Exception {
        Files.delete(gphome.resolve("bin/gpactivatestandby"));

        assertThat(run().get(4).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void unknownInterfaceFails() throws Exception {
        runner.answer(bin.resolve("ip") + " -o link show dev eth0", 1, "");

        CheckResult vip = run().get(5);

        assertThat(vip.status()).isEqualTo(Status.FAIL);
        assertThat(vip.line()).contains("eth0 not found on this host").contains("fix: set vip.interface");
    }

    @Test
    void interfaceDownWarns() throws Exception {
        runner.answer(bin.resolve("ip") + " -o link show dev eth0", 0, "2: eth0: <BROADCAST> mtu 1500 state DOWN mode DEFAULT\n");

        assertThat(run().get(5).status()).isEqualTo(Status.WARN);
    }

    @Test
    void unknownAdminUserFails() throws Exception {
        runner.answer("getent passwd gpadmin", 2, "");

        assertThat(run().get(6).line()).startsWith("FAIL  admin user         gpadmin does not exist on this host");
    }

    @Test
    void missingStateDirectoryWarnsWithTheCommandThatMakesIt() throws Exception {
        Files.delete(state);

        CheckResult result = run().get(7);

        assertThat(result.status()).isEqualTo(Status.WARN);
        assertThat(result.fix()).contains("install -d -o gpadmin -m 0750 " + state);
    }

    @Test
    void stateDirectoryThatIsAFileFails() throws Exception {
        Files.delete(state);
        Files.writeString(state, "");

        assertThat(run().get(7).status()).isEqualTo(Status.FAIL);
    }
}
