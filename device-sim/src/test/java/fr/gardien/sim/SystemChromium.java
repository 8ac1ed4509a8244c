package fr.gardien.sim;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium and chromedriver, as the gateway's dashboard test finds them (this
 * module shares no code with the gateway, tests included): from /usr/bin, else the PATH; nothing
 * is downloaded and Selenium Manager is never asked.
 */
final class SystemChromium {
  static final String MISSING = "chromium and chromedriver are not installed (Debian: apt-get install chromium"
      + " chromium-driver; ./gardien test installs them)";

  private SystemChromium() {}

  /** Whether both programs are installed. */
  static boolean available() {
    return program("chromium").or(() -> program("chromium-browser")).isPresent() && program("chromedriver").isPresent();
  }

  /** A new headless browser of 1400 × 900 whose navigator.language is {@code language}. */
  static ChromeDriver start(String language) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(program("chromium").or(() -> program("chromium-browser")).orElseThrow().toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,900", "--lang=" + language, "--no-first-run", "--disable-extensions",
        "--disable-background-networking", "--disable-component-update", "--disable-sync");
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
    return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(program("chromedriver").orElseThrow().toFile())
        .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build(), options);
  }

  private static Optional<Path> program(String name) {
    String path = "/usr/bin" + File.pathSeparator + System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, name))
        .filter(Files::isExecutable).findFirst();
  }
}
