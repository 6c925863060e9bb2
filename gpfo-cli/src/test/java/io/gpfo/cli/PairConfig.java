package io.gpfo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The gpfo.yaml the command tests run with: mdw and smdw, Greenplum 7, the state in a temporary directory. */
final class PairConfig {

    private PairConfig() {
    }

    static void write(Path config, Path state) throws IOException {
        Files.writeString(config, """
                cluster: {name: gptest}
                coordinator: {host: mdw}
                standby: {host: smdw}
                greenplum: {version: 7}
                vip: {address: 10.77.0.100, prefix: 24, interface: eth0, gateway: 10.77.0.1}
                state: {directory: '%s'}
                """.formatted(state));
    }
}
