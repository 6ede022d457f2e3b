package dev.switchboard.http;

import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: the web console is served at {@code /} from the jar, public (it holds no data), with a policy that
 * runs no script but its own files; {@code GET /} used to answer 404.
 */
class ConsolePageTest {
    static final String ADMIN = "admin-key-for-tests-0123456789";
    /** The console's files as packaged (target/classes/console). */
    static final Path ASSETS = Path.of("target", "classes", "console");

    @TempDir
    Path dir;

    @Test
    void thePageIsServedAtTheRootWithAContentSecurityPolicy() {
        try (Switchboard switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of())).serve();
             TestHttp http = new TestHttp(switchboard.port())) {
            TestHttp.Response page = http.get("/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'",
                    "connect-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.text()).contains("<meta name=\"switchboard-auth-mode\" content=\"none\">")
                    .contains("<script type=\"module\" src=\"/console/js/app.js\"></script>");
        }
    }

    @Test
    void theSignInModeIsWrittenIntoThePageAndThePageNeedsNoKey() {
        try (Switchboard switchboard = Switchboard.open(TestConfigs.secured(dir, List.of(), ADMIN)).serve();
             TestHttp http = new TestHttp(switchboard.port())) {
            assertThat(http.get("/").text()).contains("<meta name=\"switchboard-auth-mode\" content=\"token\">");
            assertThat(http.get("/console/console.css").status()).isEqualTo(200);
            assertThat(http.get("/api/v1/providers").status()).isEqualTo(401); // the data still needs a key
        }
    }

    @Test
    void everyFileOfTheConsoleIsServedWithItsTypeAndRevalidatesByETag() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ASSETS)) {
            files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("index.html")).toList();
        }
        assertThat(files).hasSizeGreaterThan(5);
        try (Switchboard switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of())).serve();
             TestHttp http = new TestHttp(switchboard.port())) {
            for (Path file : files) {
                String path = "/console/" + ASSETS.relativize(file).toString().replace('\\', '/');
                TestHttp.Response response = http.get(path);
                assertThat(response.status()).as(path).isEqualTo(200);
                assertThat(response.bytes()).as(path).isEqualTo(Files.readAllBytes(file));
                String type = path.endsWith(".js") ? "text/javascript; charset=utf-8" : path.endsWith(".css") ? "text/css; charset=utf-8"
                        : "image/svg+xml";
                assertThat(response.header("Content-Type")).as(path).isEqualTo(type);
                assertThat(http.get(path, "If-None-Match", response.header("ETag")).status()).as(path).isEqualTo(304);
            }
        }
    }

    @Test
    void namesOutsideTheConsoleAreNotFound() {
        try (Switchboard switchboard = Switchboard.open(TestConfigs.embedded(dir, List.of())).serve();
             TestHttp http = new TestHttp(switchboard.port())) {
            for (String path : List.of("/console/nope.js", "/console/index.html", "/console/.hidden.js", "/console/js/../../switchboard.toml",
                    "/console/%2e%2e/dev/switchboard/Switchboard.class", "/console/js/app.js.map", "/console/")) {
                TestHttp.Response response = http.get(path);
                assertThat(response.status()).as(path).isEqualTo(404);
                assertThat(response.header("Content-Type")).as(path).startsWith("application/json");
            }
            assertThat(http.json("POST", "/", "{}").status()).isEqualTo(405);
        }
    }

    /** The page asks for every module at once; one missing here would load a round trip later. */
    @Test
    void everyModuleIsPreloaded() throws IOException {
        String html = Files.readString(ASSETS.resolve("index.html"));
        try (Stream<Path> modules = Files.list(ASSETS.resolve("js"))) {
            for (Path module : modules.filter(m -> !m.getFileName().toString().equals("app.js")).toList()) {
                assertThat(html).contains("<link rel=\"modulepreload\" href=\"/console/js/" + module.getFileName() + "\">");
            }
        }
    }

    /** What the policy enforces, checked at the source: no inline script, handler or style, no HTML built from strings. */
    @Test
    void theConsoleHasNoInlineScriptAndBuildsNoMarkupFromStrings() throws IOException {
        String html = Files.readString(ASSETS.resolve("index.html"));
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("style=").doesNotContain("<style");
        try (Stream<Path> walk = Files.walk(ASSETS)) {
            for (Path js : walk.filter(f -> f.toString().endsWith(".js")).toList()) {
                assertThat(Files.readString(js)).as(js.toString())
                        .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                        .doesNotContain("eval(").doesNotContain("new Function").doesNotContain("document.write");
            }
        }
    }
}
