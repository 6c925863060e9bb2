package io.gpfo.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4Test {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.77.0.1", "255.255.255.255", "172.16.200.100"})
    void parsesAndPrintsBack(String text) {
        assertThat(Ipv4.parse(text)).get().hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "a.b.c.d", " 1.2.3.4", "1.2.3.4/24"})
    void rejects(String text) {
        assertThat(Ipv4.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"255.255.252.0,22", "255.255.255.255,32", "128.0.0.0,1", "255.255.255.0,24"})
    void netmaskToPrefix(String mask, int prefix) {
        assertThat(Ipv4.parse(mask).orElseThrow().asPrefix()).hasValue(prefix);
    }

    @ParameterizedTest
    @CsvSource({"172.16.200.100,172.16.203.254,22,true", "172.16.200.100,172.16.204.1,22,false", "10.0.0.1,10.0.0.2,32,false"})
    void subnets(String a, String b, int prefix, boolean same) {
        assertThat(Ipv4.parse(a).orElseThrow().sameSubnet(Ipv4.parse(b).orElseThrow(), prefix)).isEqualTo(same);
    }

    @ParameterizedTest
    @ValueSource(strings = {"255.0.255.0", "0.255.255.255"})
    void nonContiguousMask(String mask) {
        assertThat(Ipv4.parse(mask).orElseThrow().asPrefix()).isEmpty();
    }
}
