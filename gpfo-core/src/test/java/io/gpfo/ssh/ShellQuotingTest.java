package io.gpfo.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.port.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuotingTest {

    @Test
    void leavesPlainWordsAloneAndQuotesTheRest() {
        assertThat(ShellQuoting.join(List.of("ip", "addr", "del", "10.0.0.1/24", "dev", "eth0")))
                .isEqualTo("ip addr del 10.0.0.1/24 dev eth0");
        assertThat(ShellQuoting.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellQuoting.quote("")).isEqualTo("''");
        assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuoting.quote("$(reboot)")).isEqualTo("'$(reboot)'");
    }

    @Test
    void aRealShellGetsBackExactlyTheArgv() {
        List<String> argv = List.of("printf", "[%s]", "a b", "$HOME", "it's", "x;y", "`id`", "\"q\"", "back\\slash", "");
        List<String> shell = new ArrayList<>(List.of("sh", "-c", ShellQuoting.join(argv)));

        String printed = new ProcessRunner().run(Duration.ofSeconds(5), shell.toArray(String[]::new)).stdout();

        assertThat(printed).isEqualTo("[a b][$HOME][it's][x;y][`id`][\"q\"][back\\slash][]");
    }
}
