import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;

/**
 * Opens the web console in Debian's headless Chromium (through its chromedriver; Selenium on the class path, see
 * console-1000x100.sh) and measures, --runs times on a fresh load each:
 * <ul>
 *   <li>render_ms: from navigation start to the first frame painted after both views were filled
 *       ({@code data-rendered-ms} on the page's root element, set by the console itself);</li>
 *   <li>models_ms: from a click on one provider's "Models" to its list drawn;</li>
 *   <li>filter_ms: from typing into the provider filter to the table narrowed;</li>
 *   <li>and the parts of render_ms: api_ms (the provider list answered), build_ms (its JSON parsed and the rows
 *       built), paint_ms (views in the page → first frame painted).</li>
 * </ul>
 * and checks that the page is correct: every provider has a row with its model count, a provider's models are
 * listed and searchable, the feed is live, and the browser console holds no error. Prints "RESULT name value".
 *
 * <p>Usage: java -cp &lt;selenium&gt; bench/ConsoleRender.java --url http://127.0.0.1:8080/ --providers 1000
 * --models 100 [--runs 5]
 */
public class ConsoleRender {
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        String url = options.get("url");
        int providers = Integer.parseInt(options.get("providers"));
        int models = Integer.parseInt(options.get("models"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "5"));

        Path profile = Files.createTempDirectory("console-render-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream()).build();
        ChromeOptions chrome = new ChromeOptions();
        chrome.setBinary(new File("/usr/bin/chromium"));
        chrome.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        chrome.setCapability("goog:loggingPrefs", logs);
        ChromeDriver driver = new ChromeDriver(service, chrome);
        JavascriptExecutor js = driver;
        try {
            List<Double> render = new ArrayList<>();
            List<Double> modelsOpen = new ArrayList<>();
            List<Double> filter = new ArrayList<>();
            List<Double> apiAnswer = new ArrayList<>();
            List<Double> build = new ArrayList<>();
            List<Double> paint = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                driver.get("about:blank");
                driver.get(url);
                waitUntil(() -> driver.findElement(By.cssSelector("html")).getDomAttribute("data-rendered-ms") != null, 60_000, "the page rendered");
                render.add(Double.parseDouble(driver.findElement(By.cssSelector("html")).getDomAttribute("data-rendered-ms")));
                @SuppressWarnings("unchecked")
                Map<String, Object> phases = (Map<String, Object>) js.executeScript("""
                        const mark = name => performance.getEntriesByName(name)[0]?.startTime ?? -1;
                        const api = performance.getEntriesByType("resource").find(e => e.name.endsWith("/api/v1/providers"));
                        return {modules: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
                                answered: api?.responseEnd ?? -1, loaded: mark("switchboard:loaded"), filled: mark("switchboard:filled"),
                                painted: Number(document.documentElement.dataset.renderedMs)};""");
                double answered = number(phases, "answered");
                apiAnswer.add(answered);
                build.add(number(phases, "loaded") - answered);
                paint.add(number(phases, "painted") - number(phases, "filled"));
                System.err.printf("run %d: modules loaded %.0f ms, providers answered %.0f ms, state loaded %.0f ms, views filled %.0f ms,"
                        + " painted %.0f ms%n", run, number(phases, "modules"), answered, number(phases, "loaded"), number(phases, "filled"),
                        number(phases, "painted"));
                long rows = (Long) js.executeScript("return document.querySelectorAll('#providers-body > tr[data-provider]').length");
                check(rows == providers, "the table has " + rows + " provider rows, expected " + providers);
                String count = (String) js.executeScript("return document.querySelector('#providers-body > tr:last-child .model-count').textContent");
                check(count.equals(Integer.toString(models)), "the last provider shows " + count + " models, expected " + models);
                waitUntil(() -> "live".equals(driver.findElement(By.id("connection")).getDomAttribute("data-state")), 30_000, "the feed is live");

                String middle = (String) js.executeScript(
                        "const rows = document.querySelectorAll('#providers-body > tr[data-provider]'); return rows[Math.floor(rows.length / 2)].dataset.provider");
                double clicked = ((Number) js.executeScript("""
                        const started = performance.now();
                        document.querySelector(`tr[data-provider="${arguments[0]}"] [data-action="models"]`).click();
                        return started;""", middle)).doubleValue();
                waitUntil(() -> driver.findElements(By.cssSelector("tr[data-models-of='" + middle + "'] li[data-model]")).size() == models, 30_000,
                        "the models of " + middle + " are listed");
                modelsOpen.add(((Number) js.executeScript("return performance.now()")).doubleValue() - clicked);
                WebElement search = driver.findElement(By.cssSelector("tr[data-models-of='" + middle + "'] .model-search"));
                String wanted = driver.findElements(By.cssSelector("tr[data-models-of='" + middle + "'] li[data-model]")).get(models / 2)
                        .getDomAttribute("data-model");
                search.sendKeys(wanted);
                waitUntil(() -> driver.findElements(By.cssSelector("tr[data-models-of='" + middle + "'] li[data-model]")).size() == 1, 10_000,
                        "a search for " + wanted + " finds it alone");

                double filtered = ((Number) js.executeScript("""
                        const input = document.getElementById("provider-filter");
                        const started = performance.now();
                        input.value = arguments[0];
                        input.dispatchEvent(new Event("input"));
                        return performance.now() - started;""", middle)).doubleValue();
                long visible = (Long) js.executeScript("return [...document.querySelectorAll('#providers-body > tr[data-provider]')].filter(r => !r.hidden).length");
                check(visible >= 1 && visible < providers, "filtering for " + middle + " left " + visible + " rows");
                filter.add(filtered);
            }
            List<String> errors = new ArrayList<>();
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER).getAll()) {
                if (entry.getLevel().intValue() >= Level.WARNING.intValue()) errors.add(entry.getMessage());
            }
            check(errors.isEmpty(), "the browser console has errors: " + errors);
            System.err.println("render ms per run: " + render);
            report("render_ms", render);
            report("api_ms", apiAnswer);
            report("build_ms", build);
            report("paint_ms", paint);
            report("models_ms", modelsOpen);
            report("filter_ms", filter);
            System.out.println("RESULT rows " + providers);
        } finally {
            driver.quit();
            service.stop();
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static void report(String name, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("RESULT %s_median %.0f%n", name, sorted.get(sorted.size() / 2));
        System.out.printf("RESULT %s_max %.0f%n", name, sorted.getLast());
    }

    private static double number(Map<String, Object> values, String name) {
        return ((Number) values.get(name)).doubleValue();
    }

    private static void check(boolean condition, String message) {
        if (!condition) throw new IllegalStateException("the page is not correct: " + message);
    }

    private static void waitUntil(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try {
                if (condition.getAsBoolean()) return;
            } catch (RuntimeException notYet) {
                // the element is not there yet
            }
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("timed out waiting until " + what);
            Thread.sleep(10);
        }
    }
}
