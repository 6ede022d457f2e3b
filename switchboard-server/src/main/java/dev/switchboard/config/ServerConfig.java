package dev.switchboard.config;

import java.util.List;

/**
 * The {@code [server]} section.
 *
 * @param host           interface to bind; loopback by default
 * @param port           TCP port; 0 picks a free one (tests)
 * @param maxBodyBytes   largest request body accepted before answering 413
 * @param allowedOrigins web origins ({@code "http://localhost:3000"}, normalised: lower case, no default port)
 *                       whose pages may call the API from a browser; empty: only the server's own origin
 * @param allowedHosts   host names ({@code Host} header, lower case, IPv6 in brackets) accepted besides the
 *                       loopback names and {@code host}
 */
public record ServerConfig(String host, int port, long maxBodyBytes, List<String> allowedOrigins, List<String> allowedHosts) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    public ServerConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** Without allowed origins or extra host names. */
    public ServerConfig(String host, int port, long maxBodyBytes) {
        this(host, port, maxBodyBytes, List.of(), List.of());
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES);
    }

    /** Whether {@code host} binds to this machine only. */
    public static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || host.startsWith("127.");
    }

    public boolean loopback() {
        return isLoopback(host);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, maxBodyBytes, allowedOrigins, allowedHosts);
    }

    public ServerConfig withAllowedOrigins(List<String> origins) {
        return new ServerConfig(host, port, maxBodyBytes, origins, allowedHosts);
    }

    public ServerConfig withAllowedHosts(List<String> hosts) {
        return new ServerConfig(host, port, maxBodyBytes, allowedOrigins, hosts);
    }
}
