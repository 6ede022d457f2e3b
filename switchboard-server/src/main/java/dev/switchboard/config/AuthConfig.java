package dev.switchboard.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code [auth]} section.
 *
 * @param mode                 {@code none} (loopback binds only) or {@code token} (a key or access token on every request)
 * @param adminKey             the first admin key, usually {@code "${env:SWITCHBOARD_ADMIN_KEY}"}
 * @param accessTokenTtl       lifetime of a browser session's access token
 * @param refreshTokenTtl      lifetime of a refresh token (each use rotates it)
 * @param writeRatePerMinute   writes one key may make per minute before answers are 429
 * @param allowedProviderHosts hosts API-created providers may use even where the URL policy would refuse them
 */
public record AuthConfig(Mode mode, Secret adminKey, Duration accessTokenTtl, Duration refreshTokenTtl,
                         int writeRatePerMinute, List<String> allowedProviderHosts) {
    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofMinutes(15);
    public static final Duration DEFAULT_REFRESH_TOKEN_TTL = Duration.ofHours(24);
    public static final int DEFAULT_WRITE_RATE_PER_MINUTE = 120;

    public enum Mode {
        NONE, TOKEN;

        public String wireName() {
            return name().toLowerCase();
        }
    }

    public AuthConfig {
        allowedProviderHosts = List.copyOf(allowedProviderHosts);
    }

    public static AuthConfig defaults() {
        return new AuthConfig(Mode.NONE, Secret.NONE, DEFAULT_ACCESS_TOKEN_TTL, DEFAULT_REFRESH_TOKEN_TTL,
                DEFAULT_WRITE_RATE_PER_MINUTE, List.of());
    }

    public static AuthConfig token(Secret adminKey) {
        return new AuthConfig(Mode.TOKEN, adminKey, DEFAULT_ACCESS_TOKEN_TTL, DEFAULT_REFRESH_TOKEN_TTL,
                DEFAULT_WRITE_RATE_PER_MINUTE, List.of());
    }

    /**
     * Why serving on {@code host} with this configuration is refused, or null when it is fine: without auth,
     * only this machine may reach the API, since anyone who reaches it could change every model and provider.
     */
    public String bindRefusal(String host) {
        if (mode == Mode.NONE && !ServerConfig.isLoopback(host)) {
            return "[auth] mode is \"none\" (the default) but [server] host = \"" + host + "\" is not a loopback address;"
                    + " set [auth] mode = \"token\" with an admin_key, or bind to 127.0.0.1";
        }
        return null;
    }

    public AuthConfig withAccessTokenTtl(Duration ttl) {
        return new AuthConfig(mode, adminKey, ttl, refreshTokenTtl, writeRatePerMinute, allowedProviderHosts);
    }

    public AuthConfig withWriteRatePerMinute(int rate) {
        return new AuthConfig(mode, adminKey, accessTokenTtl, refreshTokenTtl, rate, allowedProviderHosts);
    }
}
