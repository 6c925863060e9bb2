package io.gpfo.ssh;

/** SSH could not run a command on a host; {@link #kind()} tells why, the message how to fix it. */
public final class SshException extends Exception {

    public enum Kind {
        /** No TCP connection within the connect timeout, or the connection broke. */
        UNREACHABLE,
        /** The host's key is not in known_hosts, or differs from it: refused, never accepted blindly. */
        HOST_KEY,
        /** Connected, but the key was not accepted for the user. */
        AUTHENTICATION
    }

    private final Kind kind;
    private final String host;

    public SshException(Kind kind, String host, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.host = host;
    }

    public Kind kind() {
        return kind;
    }

    public String host() {
        return host;
    }
}
