package dev.switchboard.client;

/** A call to Switchboard failed; the message is the server's own when it sent one. */
public final class SwitchboardException extends RuntimeException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;
    /** The HTTP status, 0 when there was no answer. */
    private final int status;

    /**
     * A failure the server answered.
     *
     * @param message what failed, in words
     * @param status  the HTTP status the server answered, 0 when there was none
     */
    public SwitchboardException(String message, int status) {
        super(message);
        this.status = status;
    }

    /**
     * A failure without an answer.
     *
     * @param message what failed, in words
     * @param cause   the underlying failure (the server could not be reached, its answer could not be read)
     */
    public SwitchboardException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /**
     * The HTTP status of the server's answer.
     *
     * @return the status, or 0 when the server could not be reached
     */
    public int status() {
        return status;
    }
}
