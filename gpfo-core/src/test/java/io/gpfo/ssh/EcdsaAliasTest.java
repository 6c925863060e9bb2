package io.gpfo.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpfo.port.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ECDSA host and client keys work without BouncyCastle registered: sshj decodes them through the alias. */
class EcdsaAliasTest {

    @ParameterizedTest
    @ValueSource(ints = {256, 384, 521})
    void sshjDecodesEcdsaPublicKeysAsKnownHostsHoldThem(int bits, @TempDir Path dir) throws Exception {
        Path key = dir.resolve("id_ecdsa");
        assertThat(new ProcessRunner().run(Duration.ofSeconds(20), "ssh-keygen", "-q", "-t", "ecdsa", "-b", Integer.toString(bits),
                "-N", "", "-f", key.toString()).ok()).isTrue();
        String[] line = Files.readString(dir.resolve("id_ecdsa.pub")).strip().split(" ");
        new SshjRemoteShell("gpadmin", 22, key, dir.resolve("known_hosts"), Duration.ofSeconds(1)).close();

        PublicKey decoded = new Buffer.PlainBuffer(Base64.getDecoder().decode(line[1])).readPublicKey();

        assertThat(KeyType.fromKey(decoded).toString()).isEqualTo(line[0]);
        assertThat(decoded.getAlgorithm()).isEqualTo("EC");
    }
}
