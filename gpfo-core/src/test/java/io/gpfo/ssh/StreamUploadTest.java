package io.gpfo.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload for servers without the SFTP subsystem, run here with sh as the server would run it:
 * a copy is only put in place whole and checked, a damaged one never replaces what was there.
 */
class StreamUploadTest {

    private static final byte[] CONTENT = "the distribution\n".repeat(5000).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path staging;

    private record Run(int exit, String stderr) {
    }

    private static Run run(List<String> argv, byte[] input) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input);
        }
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), stderr);
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(staging)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.contains("gpfo-upload")).toList();
        }
    }

    @Test
    void aCompleteCopyIsPutInPlaceWithItsMode() throws Exception {
        Path dest = staging.resolve("gpfo-0.1.0.tar.gz");
        SshjSession.Digest digest = SshjSession.Digest.of(new ByteArrayInputStream(CONTENT));

        Run result = run(SshjSession.streamUploadCommand(dest.toString(), digest, 0600), CONTENT);

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(dest).hasBinaryContent(CONTENT);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest))).isEqualTo("rw-------");
        assertThat(digest.size()).isEqualTo(CONTENT.length);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aTruncatedCopyNeverReplacesTheFile() throws Exception {
        Path dest = staging.resolve("1-gpfo.yaml");
        Files.writeString(dest, "what was there\n");
        SshjSession.Digest digest = SshjSession.Digest.of(new ByteArrayInputStream(CONTENT));

        Run result = run(SshjSession.streamUploadCommand(dest.toString(), digest, 0644), java.util.Arrays.copyOf(CONTENT, 1000));

        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.stderr()).startsWith("the copy is damaged: received 1000 bytes with sha256 ")
                .contains("sent " + CONTENT.length + " bytes");
        assertThat(dest).hasContent("what was there");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aCopyOfTheRightSizeWithOtherBytesIsRefused() throws Exception {
        Path dest = staging.resolve("2-sudoers");
        byte[] altered = CONTENT.clone();
        altered[42] ^= 1;

        Run result = run(SshjSession.streamUploadCommand(dest.toString(), SshjSession.Digest.of(new ByteArrayInputStream(CONTENT)),
                0600), altered);

        assertThat(result.exit()).isEqualTo(3);
        assertThat(dest).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void theDigestIsSha256OfTheBytes() throws Exception {
        assertThat(SshjSession.Digest.of(new ByteArrayInputStream(new byte[0]))).isEqualTo(new SshjSession.Digest(0,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }
}
