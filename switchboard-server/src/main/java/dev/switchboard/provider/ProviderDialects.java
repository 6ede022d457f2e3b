package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The dialect that speaks each {@link ProviderKind}. Immutable; built once where the server is wired. */
public final class ProviderDialects {
    private final Map<ProviderKind, ProviderDialect> byKind;

    /** Every dialect Switchboard speaks. */
    public ProviderDialects() {
        this(List.of(new OpenAiDialect(), new AnthropicDialect(), new GeminiDialect(),
                new OllamaDialect(), new RegistryDialect(), new StaticDialect()));
    }

    /** Exactly these dialects, at most one per kind (tests swap in fakes this way). */
    public ProviderDialects(List<? extends ProviderDialect> dialects) {
        var map = new EnumMap<ProviderKind, ProviderDialect>(ProviderKind.class);
        for (ProviderDialect dialect : dialects) {
            Objects.requireNonNull(dialect, "dialect");
            if (map.putIfAbsent(dialect.kind(), dialect) != null) {
                throw new IllegalArgumentException("two dialects for kind " + dialect.kind().wireName());
            }
        }
        this.byKind = Collections.unmodifiableMap(map);
    }

    /** @throws IllegalArgumentException when no dialect speaks {@code kind} */
    public ProviderDialect forKind(ProviderKind kind) {
        ProviderDialect dialect = byKind.get(Objects.requireNonNull(kind, "kind"));
        if (dialect == null) throw new IllegalArgumentException("no dialect for kind " + kind.wireName());
        return dialect;
    }

    /** A copy where {@code dialect} replaces the one of its kind. */
    public ProviderDialects with(ProviderDialect dialect) {
        var map = new EnumMap<>(byKind);
        map.put(dialect.kind(), dialect);
        return new ProviderDialects(List.copyOf(map.values()));
    }
}
