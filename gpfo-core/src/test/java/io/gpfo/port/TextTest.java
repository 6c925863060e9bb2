package io.gpfo.port;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void replacesTerminalSequencesAndNoise() {
        assertThat(Text.printable("a\u001b[2Jb")).isEqualTo("a?[2Jb");
        assertThat(Text.printable("\u001b]0;pwned\u0007")).isEqualTo("?]0;pwned?");
        assertThat(Text.printable("ok\rFAILED")).isEqualTo("ok?FAILED");
        assertThat(Text.printable("nul\u0000del\u007f")).isEqualTo("nul?del?");
        assertThat(Text.printable("c1\u009b2J")).isEqualTo("c1?2J");
    }

    @Test
    void dropsBidiOverridesAndIsolates() {
        assertThat(Text.printable("ok \u202egnp.exe\u202c \u2066x\u2069")).isEqualTo("ok gnp.exe x");
    }

    @Test
    void keepsLinesTabsAndOrdinaryText() {
        assertThat(Text.printable("first\tline\nsecond: größer, 東京 ✓")).isEqualTo("first\tline\nsecond: größer, 東京 ✓");
    }

    @Test
    void aLineStaysOneLine() {
        assertThat(Text.line("stderr: one\nINFO forged\r\n")).isEqualTo("stderr: one INFO forged? ");
    }
}
