package dev.switchboard.client;

/** A call to Switchboard failed; the message is the server's own when it sent one. */
public final class SwitchboardException extends RuntimeException {
    private final int status;

    public SwitchboardException(String message, int status) {
        super(message);
        this.status = status;
    }

    public SwitchboardException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 when the server could not be reached. */
    public int status() {
        return status;
    }
}
