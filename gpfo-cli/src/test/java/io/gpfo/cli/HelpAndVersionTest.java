package io.gpfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Help and version need no configuration and no host: the real ports are never used. */
class HelpAndVersionTest {

    private String out;
    private String err;

    /** Runs gpfo; keeps stdout and stderr for the assertions that follow. */
    private int gpfo(String... args) {
        RealCommandLine run = RealCommandLine.run(args);
        out = run.out();
        err = run.err();
        return run.status();
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

    /**
     * picocli wraps with java.text.BreakIterator, which breaks after a '.' inside a word ("gpfo.|yaml"):
     * help stays at 80 columns (no usageHelpAutoWidth) and no path may straddle a line there.
     */
    @Test
    void noHelpTextBreaksALineInsideAPath() {
        java.util.List<String> commands = new java.util.ArrayList<>();
        collect(Gpfo.commandLine(new PrintWriter(StringWriter.nullWriter()), new PrintWriter(StringWriter.nullWriter()),
                Services.real()), commands);
        assertThat(commands).contains("gpfo vip up", "gpfo install");
        for (String command : commands) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command.split(" ")).subList(1,
                    command.split(" ").length));
            args.add("--help");
            assertThat(gpfo(args.toArray(String[]::new))).isZero();
            java.util.List<String> lines = out.lines().toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                boolean endsInsideWord = lines.get(i).matches(".*\\S*/\\S*[./_-]");
                boolean continues = lines.get(i + 1).matches("\\s*[a-z0-9_].*");
                assertThat(endsInsideWord && continues).as("%s --help, lines %d-%d:%n%s%n%s", command, i + 1, i + 2,
                        lines.get(i), lines.get(i + 1)).isFalse();
            }
        }
    }

    private static void collect(picocli.CommandLine command, java.util.List<String> names) {
        names.add(command.getCommandSpec().qualifiedName());
        command.getSubcommands().values().forEach(sub -> collect(sub, names));
    }
}
