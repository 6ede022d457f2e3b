package dev.switchboard.http;

import dev.switchboard.auth.Role;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console: its page at {@code /} and its scripts, styles and icon at {@code /console/…}, read from the
 * jar's {@code console/} folder. Plain ES modules, so nothing is built or fetched from anywhere else; the page
 * signs in (when {@code [auth] mode = "token"}) and talks to the API like any other client.
 *
 * <p>The page is public: it holds no data, and every call it makes needs the credential the user signs in with.
 * Its Content-Security-Policy allows scripts, styles and connections to this origin only, so an injected
 * {@code <script>} or inline handler never runs.
 */
final class ConsoleRoutes {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String ROOT = "console/";
    /** Asset names: lower-case words in folders, one extension; no {@code ..}, no hidden files. */
    private static final Pattern FILE = Pattern.compile("(?:[a-z0-9][a-z0-9-]*/)*[a-z0-9][a-z0-9-]*\\.(?:js|css|svg)");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    /** Where the page learns whether to ask for a key, so it never has to provoke a 401 to find out. */
    private static final String AUTH_MODE_PLACEHOLDER = "%AUTH_MODE%";

    /** Assets read once from the jar, which does not change while the server runs. */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();
    private final ClassLoader loader = ConsoleRoutes.class.getClassLoader();
    private final String authMode;

    /** @param tokenMode {@code [auth] mode = "token"}: the page asks for a key and opens a session */
    ConsoleRoutes(boolean tokenMode) {
        this.authMode = tokenMode ? "token" : "none";
    }

    /** One file: its bytes, type and a strong ETag (so a reload revalidates, and a new jar is never served stale). */
    private record Asset(Buffer body, String contentType, String etag) {
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/", Role.PUBLIC, "The web console", ctx -> serve(ctx, "index.html"));
        routes.add(HttpMethod.GET, "/console/{file+}", Role.PUBLIC, "The web console's scripts, styles and icon", this::handleAsset);
    }

    private void handleAsset(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        if (!FILE.matcher(file).matches()) {
            ctx.fail(404);
            return;
        }
        serve(ctx, file);
    }

    private void serve(RoutingContext ctx, String file) {
        Asset cached = cache.get(file);
        if (cached != null) {
            send(ctx, cached);
            return;
        }
        ctx.vertx().executeBlocking(() -> read(file), false).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
            } else if (result.result().isEmpty()) {
                ctx.fail(404);
            } else {
                Asset asset = result.result().get();
                cache.put(file, asset);
                send(ctx, asset);
            }
        });
    }

    private static void send(RoutingContext ctx, Asset asset) {
        HttpServerResponse response = ctx.response()
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader(HttpHeaders.ETAG, asset.etag())
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("Referrer-Policy", "no-referrer");
        if (asset.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType()).end(asset.body());
    }

    private Optional<Asset> read(String file) {
        try (InputStream in = loader.getResourceAsStream(ROOT + file)) {
            if (in == null) return Optional.empty();
            byte[] bytes = in.readAllBytes();
            if (file.equals("index.html")) {
                bytes = new String(bytes, StandardCharsets.UTF_8).replace(AUTH_MODE_PLACEHOLDER, authMode).getBytes(StandardCharsets.UTF_8);
            }
            String extension = file.substring(file.lastIndexOf('.') + 1);
            return Optional.of(new Asset(Buffer.buffer(bytes), CONTENT_TYPES.get(extension), etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
