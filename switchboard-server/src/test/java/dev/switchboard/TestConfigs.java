package dev.switchboard;

import dev.switchboard.config.AuthConfig;
import dev.switchboard.config.CatalogConfig;
import dev.switchboard.config.EventsConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.StoreConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.ProviderKind;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configurations for tests: a free port, an H2 file in the test's folder, no schedule unless asked. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static SwitchboardConfig embedded(Path dir, List<ProviderConfig> providers) {
        CatalogConfig catalog = CatalogConfig.defaults()
                .withRefreshInterval(Duration.ZERO)
                .withRefreshOnStart(false)
                .withFetchTimeout(Duration.ofSeconds(2));
        return new SwitchboardConfig(ServerConfig.defaults().withPort(0),
                StoreConfig.of("jdbc:h2:file:" + dir.resolve("switchboard").toAbsolutePath()),
                catalog, EventsConfig.defaults(), AuthConfig.defaults(), providers, List.of(), Optional.empty());
    }

    /** As {@link #embedded}, with {@code [auth] mode = "token"} and this admin key. */
    public static SwitchboardConfig secured(Path dir, List<ProviderConfig> providers, String adminKey) {
        return embedded(dir, providers).withAuth(AuthConfig.token(dev.switchboard.config.Secret.literal(adminKey)));
    }

    /** An OpenAI-compatible provider whose base URL is {@code base} (models at {@code base/models}). */
    public static ProviderConfig openai(String id, URI base) {
        return ProviderConfig.of(id, ProviderKind.OPENAI, base);
    }

    /** An OpenAI list body with these model ids. */
    public static String openAiList(String... ids) {
        StringBuilder json = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) json.append(',');
            json.append("{\"id\":\"").append(ids[i]).append("\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"test\"}");
        }
        return json.append("]}").toString();
    }
}
