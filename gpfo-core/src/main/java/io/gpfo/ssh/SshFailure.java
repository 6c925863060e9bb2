package io.gpfo.ssh;

import java.util.Optional;

/**
 * Why a host could not be asked over SSH, as evidence that crosses into status reports and the
 * decision: the SSH failure's kind when SSH itself failed (empty when a command ran but gave no
 * usable answer, or none in time), and the message with its fix (for a host key, the one
 * {@link SshjRemoteShell} builds and {@code gpfo check} prints).
 */
public record SshFailure(Optional<SshException.Kind> kind, String message) {

    public static SshFailure of(SshException e) {
        return new SshFailure(Optional.of(e.kind()), String.valueOf(e.getMessage()));
    }

    /** Connected (or never got an answer in time), but the command gave no usable answer. */
    public static SshFailure noAnswer(String message) {
        return new SshFailure(Optional.empty(), message);
    }

    /** The host's key is unknown or changed: it must not be trusted until an operator verifies it. */
    public boolean hostKey() {
        return kind.filter(SshException.Kind.HOST_KEY::equals).isPresent();
    }
}
