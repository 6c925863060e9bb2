package io.gpfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Help and version need no configuration and no host: the real ports are never used. */
class HelpAndVersionTest {

    private String out;
    private String err;

    private int gpfo(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int status = Gpfo.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true), Services.real())
                .execute(args);
        out = stdout.toString();
        err = stderr.toString();
        return status;
    }

    @Test
    void helpFollowsNestedCommandNames() {
        assertThat(gpfo("vip", "up", "--help")).isZero();
        String direct = out;

        assertThat(gpfo("help", "vip", "up")).isZero();
        assertThat(out).isEqualTo(direct).startsWith("Usage: gpfo vip up ");
        assertThat(gpfo("help", "vip")).isZero();
        assertThat(out).startsWith("Usage: gpfo vip ");
        assertThat(gpfo("help")).isZero();
        assertThat(out).startsWith("Usage: gpfo ");
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageError() {
        assertThat(gpfo("help", "vip", "sideways")).isEqualTo(ExitCode.USAGE);
        assertThat(err).startsWith("Unknown command 'vip sideways': 'vip' has no subcommand 'sideways'\n");
    }

    @Test
    void versionNamesTheCommitAndTheJavaRuntime() {
        assertThat(gpfo("--version")).isZero();
        assertThat(out.lines()).hasSize(2);
        assertThat(out.lines().findFirst().orElseThrow()).matches("gpfo \\d+\\.\\d+\\.\\d+\\S* \\(commit [0-9a-f]{12}(-dirty)?\\)");
        assertThat(out).contains("Java " + Runtime.version() + " (", ") at " + System.getProperty("java.home") + "\n");
    }
}
