package io.gpfo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpfo completion bash}: a script that bash accepts and that completes gpfo's commands. */
class CompletionCommandTest {

    @TempDir
    Path dir;

    private String out;
    private String err;

    private int gpfo(String... args) {
        RealCommandLine completion = RealCommandLine.run(args);
        out = completion.out();
        err = completion.err();
        return completion.status();
    }

    @Test
    void bashScriptPassesBashSyntaxCheckAndNamesEverySubcommand() throws Exception {
        assertThat(gpfo("completion", "bash")).isZero();
        assertThat(err).isEmpty();
        for (String command : List.of("watch", "promote", "vip", "status", "check", "pause", "resume", "install",
                "uninstall", "completion", "help")) {
            assertThat(out).contains(command);
        }
        Path script = dir.resolve("gpfo");
        Files.writeString(script, out);

        assertThat(bash("-n", script.toString())).isEmpty();
    }

    @Test
    void bashCompletesCommandsAndOptionsOfSubcommands() throws Exception {
        assertThat(gpfo("completion")).isZero();
        Path script = dir.resolve("gpfo");
        Files.writeString(script, out);

        assertThat(complete(script, "gpfo st")).containsExactlyInAnyOrder("status");
        assertThat(complete(script, "gpfo vip ")).contains("up", "down", "status");
        assertThat(complete(script, "gpfo promote --")).contains("--force", "--yes", "--config");
    }

    @Test
    void bashCompletesOptionValues() throws Exception {
        assertThat(gpfo("completion")).isZero();
        Path script = dir.resolve("gpfo");
        Files.writeString(script, out);

        assertThat(complete(script, "gpfo install --init ")).containsExactly("auto", "systemd", "sysv");
        assertThat(complete(script, "gpfo install --init s")).containsExactly("systemd", "sysv");
        assertThat(complete(script, "gpfo completion ")).contains("bash");
    }

    @Test
    void theHeaderSaysHowItIsInstalledAndNotToEditProfiles() {
        assertThat(gpfo("completion", "bash")).isZero();

        assertThat(out).startsWith(CompletionCommand.HEADER).doesNotContain("bash_profile", ".bashrc", "picocli.info");
    }

    @Test
    void anotherShellIsAUsageError() {
        assertThat(gpfo("completion", "fish")).isEqualTo(ExitCode.USAGE);
        assertThat(err).contains("expected one of [bash]");
    }

    /** Sources the script in bash and asks its completion function for the words that complete LINE. */
    private List<String> complete(Path script, String line) throws Exception {
        String program = "source \"$1\"\n"
                + "compopt() { :; }  # only works while bash itself completes\n"
                + "COMP_LINE=$2; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<<\"$COMP_LINE\"\n"
                + "[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')\n"
                + "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                + "_complete_gpfo gpfo \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        return bash("-c", program, "complete", script.toString(), line).lines().map(String::strip).toList();
    }

    private static String bash(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("bash %s: %s", args[0], output).isZero();
        return output;
    }
}
