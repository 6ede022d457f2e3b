package dev.switchboard.gateway;

/**
 * The OpenAI operations the gateway serves. Every upstream is reached through its OpenAI-compatible API, so
 * an operation is the same path under Switchboard's {@code /v1} and under the upstream's inference base.
 */
public enum Operation {
    CHAT_COMPLETIONS("chat/completions"),
    COMPLETIONS("completions"),
    EMBEDDINGS("embeddings"),
    RESPONSES("responses");

    private final String suffix;

    Operation(String suffix) {
        this.suffix = suffix;
    }

    /** The path under an inference base, without a leading slash: {@code chat/completions}. */
    public String suffix() {
        return suffix;
    }

    /** Where Switchboard serves it: {@code /v1/chat/completions}. */
    public String path() {
        return "/v1/" + suffix;
    }
}
