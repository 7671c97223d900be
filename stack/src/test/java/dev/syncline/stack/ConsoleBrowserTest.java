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
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                            "--window-size=1280,800");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                    .usingAnyFreePort().build();
            WebDriver browser = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                String console = stack.url(Service.CONSOLE);

                // 0. a source and a destination through their forms, generated from the connectors' specs
                browser.get(console + "/sources");
                browser.findElement(By.linkText("New source")).click();
                wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a[data-connector='sample-data']"))).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("cfg.rows")));
                assertThat(browser.findElement(By.name("cfg.seed")).getAttribute("value")).isEqualTo("42"); // the spec's default
                browser.findElement(By.name("name")).sendKeys("Sample shop");
                browser.findElement(By.name("cfg.rows")).clear();
                browser.findElement(By.name("cfg.rows")).sendKeys("300");
                shot(browser, "0a-new-source");
                browser.findElement(By.xpath("//button[text()='Set up source']")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Created Sample shop."));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("actors"), "succeeded")); // its check

                browser.get(console + "/destinations/new?type=postgres");
                WebElement password = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("cfg.password")));
                assertThat(password.getAttribute("type")).isEqualTo("password");
                browser.findElement(By.name("name")).sendKeys("Browser warehouse");
                browser.findElement(By.name("cfg.host")).sendKeys("127.0.0.1");
                browser.findElement(By.name("cfg.port")).clear();
                browser.findElement(By.name("cfg.port")).sendKeys("not a port");
                browser.findElement(By.name("cfg.database")).sendKeys(Stack.WAREHOUSE);
                browser.findElement(By.name("cfg.username")).sendKeys("postgres");
                password.sendKeys("postgres");
                browser.findElement(By.name("cfg.schema")).clear();
                browser.findElement(By.name("cfg.schema")).sendKeys("browser");
                browser.findElement(By.xpath("//button[text()='Set up destination']")).click();
                // the API's field error beside its field; what was typed is kept, the password is not
                WebElement portError = wait.until(ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("[data-error-for='port']")));
                assertThat(portError.getText()).isNotBlank();
                assertThat(browser.findElement(By.name("cfg.host")).getAttribute("value")).isEqualTo("127.0.0.1");
                assertThat(browser.findElement(By.name("cfg.password")).getAttribute("value")).isEmpty();
                shot(browser, "0b-destination-field-error");
                browser.findElement(By.name("cfg.port")).clear();
                browser.findElement(By.name("cfg.port")).sendKeys(String.valueOf(stack.infrastructure().postgres().port()));
                browser.findElement(By.name("cfg.password")).sendKeys("postgres");
                browser.findElement(By.xpath("//button[text()='Set up destination']")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Created Browser warehouse."));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("actors"), "succeeded"));

                // 0c. New connection, in the seed's steps: source, destination, the schema fetched, Select sync mode,
                // the Schema table (a stream deselected, a sync mode changed), Next, Configure connection (a cron
                // schedule, a custom namespace, a prefix), Set up connection
                browser.get(console + "/connections");
                browser.findElement(By.linkText("New connection")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//legend[text()='Source']")));
                shot(browser, "0c-new-connection");
                browser.findElement(By.xpath("//button[text()='Next']")).click();
                WebElement products = new WebDriverWait(browser, Duration.ofSeconds(90)).until(
                        ExpectedConditions.elementToBeClickable(By.cssSelector("input[aria-label='sync products']")));
                assertThat(browser.findElement(By.xpath("//h2[text()='Select sync mode']")).isDisplayed()).isTrue();
                products.click();
                new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("select[aria-label='sync mode of users']")))
                        .selectByVisibleText("Full refresh | Overwrite");
                browser.findElement(By.id("stream-filter")).sendKeys("purch");
                assertThat(browser.findElement(By.cssSelector("tr[data-stream='users']")).isDisplayed()).isFalse();
                browser.findElement(By.id("stream-filter")).clear();
                browser.findElement(By.id("stream-filter")).sendKeys(" ");
                browser.findElement(By.id("stream-filter")).sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
                shot(browser, "0d-schema");
                browser.findElement(By.id("next")).click();
                WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("name")));
                assertThat(name.getAttribute("value")).isEqualTo("Sample shop → Browser warehouse"); // the default name
                new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("scheduleType"))).selectByValue("cron");
                browser.findElement(By.name("cronExpression")).sendKeys("0 0 6 * * ?");
                new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("namespaceDefinition"))).selectByValue("custom_format");
                browser.findElement(By.name("namespaceFormat")).sendKeys("browser_shop");
                browser.findElement(By.name("prefix")).sendKeys("shop_");
                shot(browser, "0e-configure-connection");
                browser.findElement(By.xpath("//button[text()='Set up connection']")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Connection set up."));
                String id = browser.getCurrentUrl().replaceAll(".*/connections/([0-9a-f-]{36}).*", "$1");
                JsonNode created = call("GET", cs + "/connections/" + id, null).body();
                assertThat(created.path("schedule").path("cronExpression").asText()).isEqualTo("0 0 6 * * ?");
                assertThat(created.path("namespaceFormat").asText()).isEqualTo("browser_shop");
                assertThat(created.path("prefix").asText()).isEqualTo("shop_");
                assertThat(created.path("streams").findValuesAsText("name")).contains("users", "purchases").doesNotContain("products");

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
                // a scheduled connection syncs once when it is set up (by schedule), then Sync now runs another
                new WebDriverWait(browser, Duration.ofSeconds(120)).until(ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("tr[data-job-id].job-succeeded")));
                assertThat(browser.findElement(By.id("live")).getText()).contains("by schedule");
                browser.findElement(By.xpath("//button[text()='Sync now']")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Sync requested."));
                new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> d.findElements(
                        By.cssSelector("tr[data-job-id].job-succeeded")).size() == 2);
                assertThat(browser.findElement(By.id("live")).getText()).contains("by user", "by schedule");
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
                 ResultSet rs = db.createStatement().executeQuery("select (select count(*) from browser_shop.shop_users), "
                         + "to_regclass('browser_shop.shop_purchases') is not null, to_regclass('browser_shop.shop_products') is null")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(300);
                assertThat(rs.getBoolean(2)).as("purchases synced").isTrue();
                assertThat(rs.getBoolean(3)).as("products deselected: no table").isTrue();
            }
        }
        Directories.deleteExcept(dir, Set.of("logs"));
    }

    private static void shot(WebDriver browser, String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
