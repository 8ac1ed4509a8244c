package fr.gardien.gateway.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven by Debian's chromedriver, for the dashboard's test and benchmark.
 * Nothing is downloaded: both programs are taken from the system (Selenium Manager is never
 * asked), and a test calls {@link #assumeAvailable()} to be skipped on a machine without them.
 */
public final class Chromium {

    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome");

    private Chromium() {
    }

    /** The browser program: /usr/bin first, then the PATH. */
    public static Optional<Path> browser() {
        return BROWSERS.stream().map(Chromium::program).flatMap(Optional::stream).findFirst();
    }

    /** The chromedriver program: /usr/bin first, then the PATH. */
    public static Optional<Path> driver() {
        return program("chromedriver");
    }

    /** Skips the calling test, with the reason, when the browser or its driver is not installed. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(browser().isPresent() && driver().isPresent(),
                "chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver;"
                        + " ./gardien test installs them): the dashboard's browser test is skipped");
    }

    /** A new headless browser whose navigator.language is {@code language} (e.g. {@code en-US}). */
    public static ChromeDriver start(String language) {
        return start(language, 0, 0);
    }

    /**
     * As {@link #start(String)}, with a phone's viewport of {@code width} × {@code height} CSS
     * pixels when width is positive (device emulation: a headless window is never narrower than 500 px).
     */
    public static ChromeDriver start(String language, int width, int height) {
        Path browser = browser().orElseThrow(() -> new IllegalStateException("chromium not found"));
        Path driver = driver().orElseThrow(() -> new IllegalStateException("chromedriver not found"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1024", "--lang=" + language, "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        if (width > 0) {
            options.setExperimentalOption("mobileEmulation",
                    Map.of("deviceMetrics", Map.of("width", width, "height", height, "pixelRatio", 1.0)));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        return new ChromeDriver(service, options);
    }

    private static Optional<Path> program(String name) {
        Path usual = Path.of("/usr/bin", name);
        if (Files.isExecutable(usual)) {
            return Optional.of(usual);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable).findFirst();
    }
}
