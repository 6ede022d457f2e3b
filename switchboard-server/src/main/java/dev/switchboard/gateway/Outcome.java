package dev.switchboard.gateway;

/** How a forwarded request ended. */
public sealed interface Outcome {
    /** An upstream's answer, whatever its status, went to the caller (the last fallback's 429 or 5xx too). */
    record Answered(String target, int attempts) implements Outcome {
    }

    /**
     * No upstream gave an answer to pass on; nothing was sent to the caller yet.
     *
     * @param status 504 when the last attempt timed out before its first byte, else 502
     * @param code   {@code upstream_timeout} or {@code upstream_unavailable}
     * @param target the last target tried
     */
    record Exhausted(int status, String code, String message, String target, int attempts) implements Outcome {
    }

    /** The answer had started and stopped midway: the caller's connection was closed, so it is never taken as whole. */
    record Broken(String target, int attempts) implements Outcome {
    }

    /** The caller went away; the upstream request was cancelled. */
    record Cancelled() implements Outcome {
    }
}
