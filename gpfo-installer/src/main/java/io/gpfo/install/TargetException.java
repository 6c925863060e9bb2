package io.gpfo.install;

/** A step could not be carried out on a host; the message says what failed and why. */
public final class TargetException extends Exception {

    public TargetException(String message) {
        super(message);
    }

    public TargetException(String message, Throwable cause) {
        super(message, cause);
    }
}
