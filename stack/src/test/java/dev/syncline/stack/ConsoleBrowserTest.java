package dev.syncline.stack;

import static dev.syncline.stack.EndToEndTest.call;
import static dev.syncline.stack.EndToEndTest.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.testing.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in headless Chromium against the real stack, click by click: the Connections list (search as you
 * type), a connection's page, Sync now until the job shows succeeded, then the rows in the destination; at 1280×800
 * and at a 390-px phone width. Each step saves a screenshot under {@code stack/target/console-screenshots/}.
 * Chromium and its driver are Debian's ({@code ./syncline test} installs them: bin/ensure-chromium.sh).
 */
class ConsoleBrowserTest {
    static final Path SHOTS = Path.of("target", "console-screenshots");
    static final Path CHROMIUM = Path.of(System.getProperty("syncline.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("syncline.chromedriver", "/usr/bin/chromedriver"));

    @Test
    void connectionsListThenAConnectionSyncedFromItsPage() throws Exception {
        assertThat(CHROMIUM).as("chromium (./syncline test installs Debian's chromium package)").exists();
        assertThat(DRIVER).as("chromedriver (./syncline test installs Debian's chromium-driver package)").exists();
        Files.createDirectories(SHOTS);
        Path home = Path.of(System.getProperty("syncline.home", "..")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory(home.resolve("stack").resolve("target"), "console-");
        try (Stack stack = Stack.start(home, dir, 1)) {
            String cs = stack.url(Service.CONNECTION);
            String sourceId = call("POST", cs + "/sources", "{\"name\":\"Sample shop\",\"sourceType\":\"sample-data\","
                    + "\"configuration\":{\"seed\":7,\"rows\":300,\"malformed_rows\":0}}").body().path("sourceId").asText();
            String destinationId = call("POST", cs + "/destinations", "{\"name\":\"Browser warehouse\",\"destinationType\":\"postgres\","
                    + "\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + stack.infrastructure().postgres().port()
                    + ",\"database\":\"" + Stack.WAREHOUSE + "\",\"username\":\"postgres\",\"password\":\"postgres\","
                    + "\"schema\":\"browser\"}}").body().path("destinationId").asText();
            JsonNode connection = call("POST", cs + "/connections", "{\"sourceId\":\"" + sourceId + "\",\"destinationId\":\""
                    + destinationId + "\"}").body();
            String id = connection.path("connectionId").asText();
            poll("schema discovered", Duration.ofSeconds(90), () -> call("GET", cs + "/connections/" + id + "/catalog", null).body(),
                    c -> c.path("status").asText().equals("discovered"));

            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                            "--window-size=1280,800");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                    .usingAnyFreePort().build();
            WebDriver browser = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                String console = stack.url(Service.CONSOLE);

                // 1. the Connections list
                browser.get(console + "/");
                wait.until(ExpectedConditions.urlContains("/connections"));
                WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("tr[data-connection-id='" + id + "']")));
                assertThat(row.getText()).contains("Sample shop → Browser warehouse", "active", "Sample shop", "Browser warehouse");
                shot(browser, "1-connections");

                // 2. search as you type: nothing matches, then it is back
                WebElement search = browser.findElement(By.name("q"));
                search.sendKeys("no such connection");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("connections"), "No connection matches."));
                shot(browser, "2-search-nothing");
                search.clear();
                search.sendKeys("shop");
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-connection-id='" + id + "']")));

                // 3. its page, Sync now, and the job as it runs and ends
                browser.findElement(By.linkText("Sample shop → Browser warehouse")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Sample shop → Browser warehouse"));
                assertThat(browser.findElement(By.id("live")).getText()).contains("No sync yet");
                browser.findElement(By.xpath("//button[text()='Sync now']")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Sync requested."));
                WebElement job = new WebDriverWait(browser, Duration.ofSeconds(120)).until(ExpectedConditions
                        .visibilityOfElementLocated(By.cssSelector("tr[data-job-id].job-succeeded")));
                assertThat(job.getText()).contains("sync", "succeeded");
                shot(browser, "3-connection-synced");

                // 4. the phone width: the list still fits, nothing scrolls sideways
                browser.manage().window().setSize(new Dimension(390, 844));
                browser.get(console + "/connections");
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-connection-id='" + id + "']")));
                long width = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth;");
                assertThat(width).isLessThanOrEqualTo(390);
                shot(browser, "4-connections-phone");
            } finally {
                browser.quit();
            }

            // the rows the browser's Sync now wrote
            try (Connection db = stack.infrastructure().postgres().connect(Stack.WAREHOUSE);
                 ResultSet rs = db.createStatement().executeQuery("select count(*) from browser.users")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(300);
            }
        }
        Directories.deleteExcept(dir, Set.of("logs"));
    }

    private static void shot(WebDriver browser, String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
