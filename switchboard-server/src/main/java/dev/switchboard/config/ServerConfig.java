package dev.switchboard.config;

/**
 * The {@code [server]} section.
 *
 * @param host         interface to bind; loopback by default
 * @param port         TCP port; 0 picks a free one (tests)
 * @param maxBodyBytes largest request body accepted before answering 413
 */
public record ServerConfig(String host, int port, long maxBodyBytes) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, maxBodyBytes);
    }
}
