package dev.switchboard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks a provider's {@code base_url}: an absolute http or https URL, or for {@code registry} a
 * {@code file:} URL. A relative {@code file:} path (e.g. {@code file:config/sample-registry.json}) is
 * resolved against the working directory the server was started in, so that the bundled sample works
 * when run from the repository root.
 */
final class BaseUrls {
    private static final String EXAMPLE = "\"https://api.openai.com/v1\"";

    private final Path workingDirectory;

    BaseUrls(Path workingDirectory) {
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /** @throws IllegalArgumentException with a message that completes "base_url …" */
    URI parse(String text, ProviderKind kind) {
        URI uri = syntax(text);
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException("must be an absolute URL with a scheme, such as " + EXAMPLE + ", got "
                    + Values.quote(text));
        }
        return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "http", "https" -> web(uri, text);
            case "file" -> file(uri, text, kind);
            default -> throw new IllegalArgumentException("must use http or https (or file: for kind = \"registry\"),"
                    + " got " + Values.quote(text));
        };
    }

    /**
     * An http or https URL and nothing else ({@code api_base_url}: inference is never read from a file).
     *
     * @throws IllegalArgumentException with a message that completes "api_base_url …"
     */
    URI web(String text) {
        URI uri = syntax(text);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("must use http or https, got " + Values.quote(text));
        }
        return web(uri, text);
    }

    /**
     * Where a metadata document lives: http, https or a local {@code file:} URL (a relative one resolved against the
     * working directory, as for a registry's {@code base_url}).
     *
     * @throws IllegalArgumentException with a message that completes "url …"
     */
    URI document(String text) {
        URI uri = syntax(text);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "http", "https" -> web(uri, text);
            case "file" -> localFile(uri, text);
            default -> throw new IllegalArgumentException("must be an http, https or file: URL such as"
                    + " \"https://models.dev/api.json\" or \"file:config/models-dev.json\", got " + Values.quote(text));
        };
    }

    /** The text as a URI, or a message that names where its syntax breaks. */
    private static URI syntax(String text) {
        try {
            return new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be an absolute URL such as " + EXAMPLE + ", got "
                    + Values.quote(text) + " (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
    }

    private static URI web(URI uri, String text) {
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("must name a host, such as " + EXAMPLE + ", got " + Values.quote(text));
        }
        // Credentials in a URL end up in logs and error messages; they belong in api_key or headers.
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not contain a user name or password; put credentials in"
                    + " api_key or headers");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must not have a #fragment, got " + Values.quote(text));
        }
        return uri;
    }

    private URI file(URI uri, String text, ProviderKind kind) {
        if (kind != ProviderKind.REGISTRY) {
            throw new IllegalArgumentException("may be a file: URL only for kind = \"registry\"; kind = \""
                    + kind.wireName() + "\" needs an http or https URL such as " + EXAMPLE);
        }
        return localFile(uri, text);
    }

    private URI localFile(URI uri, String text) {
        if (uri.isOpaque()) {
            // file:config/registry.json: a path relative to the working directory.
            String path = uri.getSchemeSpecificPart();
            if (path.isBlank()) throw new IllegalArgumentException("names no file, got " + Values.quote(text));
            return workingDirectory.resolve(path).normalize().toUri();
        }
        String authority = uri.getAuthority();
        if (authority != null && !authority.equalsIgnoreCase("localhost")) {
            throw new IllegalArgumentException("must be a local file: URL such as \"file:///etc/switchboard/models.json\""
                    + " or \"file:config/models.json\", got " + Values.quote(text));
        }
        if (uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("names no file, got " + Values.quote(text));
        }
        return Path.of(uri.getPath()).normalize().toUri();
    }
}
