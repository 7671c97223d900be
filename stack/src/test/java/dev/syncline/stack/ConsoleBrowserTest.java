package dev.syncline.stack;

import static dev.syncline.stack.EndToEndTest.call;
import static dev.syncline.stack.EndToEndTest.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
@org.junit.jupiter.api.extension.ExtendWith(SharedStack.class)
class ConsoleBrowserTest {
    static final Path SHOTS = Path.of("target", "console-screenshots");
    static final Path CHROMIUM = Path.of(System.getProperty("syncline.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("syncline.chromedriver", "/usr/bin/chromedriver"));
    static Stack stack;
    static WebDriver browser;
    static WebDriverWait wait;
    static String cs;
    static String console;
    static Path downloads;

    @BeforeAll
    static void start() throws Exception {
        assertThat(CHROMIUM).as("chromium (./syncline test installs Debian's chromium package)").exists();
        assertThat(DRIVER).as("chromedriver (./syncline test installs Debian's chromium-driver package)").exists();
        Files.createDirectories(SHOTS);
        stack = SharedStack.stack();
        cs = stack.url(Service.CONNECTION);
        console = stack.url(Service.CONSOLE);
        downloads = Files.createDirectories(stack.dir().resolve("downloads"));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,800")
                .setExperimentalOption("prefs", java.util.Map.of("download.default_directory", downloads.toString(),
                        "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // an element htmx swapped out between finding and reading it is looked for again, not a failure
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        signIn(browser, console + "/sources");
    }

    /**
     * Signs the browser in as the stack's admin: a page asked for first goes to the sign-in form, a wrong key is
     * refused there, and the right one lands back on the page asked for.
     */
    static void signIn(WebDriver browser, String page) throws Exception {
        browser.get(page);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.urlContains("/sign-in?next="));
        WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("key")));
        assertThat(key.getAttribute("type")).isEqualTo("password");
        key.sendKeys("syk_not-a-key-of-this-stack");
        browser.findElement(By.xpath("//button[text()='Sign in']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=alert]"), "not accepted"));
        shot(browser, "0-sign-in-refused");
        browser.findElement(By.name("key")).sendKeys(stack.adminKey());
        browser.findElement(By.xpath("//button[text()='Sign in']")).click();
        wait.until(ExpectedConditions.urlToBe(page));
        assertThat(browser.findElement(By.cssSelector("nav.top form.signed-in")).getText())
                .contains("admin (created by the launcher)", "admin", "Sign out");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** A failed step leaves its screenshot and the page's HTML beside the others, to see what the browser saw. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.junit.jupiter.api.extension.TestExecutionExceptionHandler ON_FAILURE = (context, thrown) -> {
        if (browser != null) {
            String name = "failed-" + context.getRequiredTestMethod().getName();
            shot(browser, name);
            Files.writeString(SHOTS.resolve(name + ".html"), browser.getCurrentUrl() + "\n" + browser.getPageSource());
        }
        throw thrown;
    };

    @BeforeEach
    void desktop() {
        browser.manage().window().setSize(new Dimension(1280, 800));
    }

    /** Walk 1: the ELT flow from the forms to a succeeded sync whose rows are checked in the destination. */
    @Test
    void connectionsListThenAConnectionSyncedFromItsPage() throws Exception {
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

        // the shop's own database: users and products have primary keys, purchases has none (the user picks one)
        var pg = stack.infrastructure().postgres();
        pg.createDatabase("browser_shop_src");
        sql("browser_shop_src", "create table users (id bigint primary key, name text, updated_at timestamptz not null default now())",
                "create table products (id bigint primary key, name text)",
                "create table purchases (id bigint not null, user_id bigint, amount numeric, updated_at timestamptz not null default now())",
                "insert into users select i, 'user ' || i, now() from generate_series(1, 300) i",
                "insert into products select i, 'product ' || i from generate_series(1, 20) i",
                "insert into purchases select i, 1 + i % 300, i * 1.5, now() from generate_series(1, 500) i");
        browser.get(console + "/sources/new?type=postgres");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("cfg.host"))).sendKeys("127.0.0.1");
        browser.findElement(By.name("name")).sendKeys("Shop database");
        browser.findElement(By.name("cfg.port")).clear();
        browser.findElement(By.name("cfg.port")).sendKeys(String.valueOf(pg.port()));
        browser.findElement(By.name("cfg.database")).sendKeys("browser_shop_src");
        browser.findElement(By.name("cfg.username")).sendKeys(pg.superuser().user());
        browser.findElement(By.name("cfg.password")).sendKeys(pg.password());
        browser.findElement(By.xpath("//button[text()='Set up source']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Created Shop database."));

        browser.get(console + "/destinations/new?type=postgres");
        WebElement password = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("cfg.password")));
        assertThat(password.getAttribute("type")).isEqualTo("password");
        browser.findElement(By.name("name")).sendKeys("Browser warehouse");
        browser.findElement(By.name("cfg.host")).sendKeys("127.0.0.1");
        browser.findElement(By.name("cfg.port")).clear();
        browser.findElement(By.name("cfg.port")).sendKeys("not a port");
        browser.findElement(By.name("cfg.database")).sendKeys(Stack.WAREHOUSE);
        browser.findElement(By.name("cfg.username")).sendKeys(stack.warehouse().user());
        password.sendKeys(stack.warehouse().password());
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
        browser.findElement(By.name("cfg.password")).sendKeys(stack.warehouse().password());
        browser.findElement(By.xpath("//button[text()='Set up destination']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Created Browser warehouse."));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("actors"), "succeeded"));

        // 0c. New connection, in the seed's steps: source, destination, the schema fetched, Select sync mode,
        // the Schema table (a stream deselected, a sync mode changed), Next, Configure connection (a cron
        // schedule, a custom namespace, a prefix), Set up connection
        browser.get(console + "/connections");
        browser.findElement(By.linkText("New connection")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//legend[text()='Source']")));
        pick("Shop database", "Browser warehouse");
        shot(browser, "0c-new-connection");
        browser.findElement(By.xpath("//button[text()='Next']")).click();
        WebElement products = new WebDriverWait(browser, Duration.ofSeconds(90)).until(
                ExpectedConditions.elementToBeClickable(By.cssSelector("input[aria-label='sync products']")));
        assertThat(browser.findElement(By.xpath("//h2[text()='Select sync mode']")).isDisplayed()).isTrue();
        products.click();
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("select[aria-label='sync mode of users']")))
                .selectByVisibleText("Full refresh | Overwrite");
        // the filter asks the console for the matching streams (a catalog is paged); what was chosen is kept
        browser.findElement(By.id("stream-filter")).sendKeys("purch");
        wait.until(d -> d.findElements(By.cssSelector("tr[data-stream='users']")).isEmpty()
                && !d.findElements(By.cssSelector("tr[data-stream='purchases']")).isEmpty());
        browser.findElement(By.id("stream-filter")).sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"),
                org.openqa.selenium.Keys.BACK_SPACE);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-stream='users']")));
        assertThat(browser.findElement(By.cssSelector("input[aria-label='sync products']")).isSelected()).isFalse();
        assertThat(selected("sync mode of users")).isEqualTo("full_refresh:overwrite");
        // purchases has no key in the source: the user picks one, deduplicating by it
        select("sync mode of purchases").selectByVisibleText("Incremental | Append + Deduped");
        select("cursor of purchases").selectByValue("updated_at");
        select("primary key of purchases").selectByValue("id");
        assertThat(browser.findElement(By.cssSelector("tr[data-stream='users']")).getText()).contains("(source-defined)");
        shot(browser, "0d-schema");
        browser.findElement(By.id("next")).click();
        WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("name")));
        assertThat(name.getAttribute("value")).isEqualTo("Shop database → Browser warehouse"); // the default name
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("scheduleType"))).selectByValue("cron");
        browser.findElement(By.name("cronExpression")).sendKeys("0 0 6 * * ?");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("namespaceDefinition"))).selectByValue("custom_format");
        browser.findElement(By.name("namespaceFormat")).sendKeys("browser_shop");
        browser.findElement(By.name("prefix")).sendKeys("shop_");
        // the live preview of the names the streams get
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("namespace-preview"), "browser_shop.shop_users"));
        assertThat(browser.findElement(By.id("namespace-preview")).getText()).contains("browser_shop.shop_purchases")
                .doesNotContain("shop_products");
        browser.findElement(By.name("newTagName")).sendKeys("marketing");
        shot(browser, "0e-configure-connection");
        browser.findElement(By.xpath("//button[text()='Set up connection']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Connection set up."));
        String id = browser.getCurrentUrl().replaceAll(".*/connections/([0-9a-f-]{36}).*", "$1");
        JsonNode created = call("GET", cs + "/connections/" + id, null).body();
        assertThat(created.path("schedule").path("cronExpression").asText()).isEqualTo("0 0 6 * * ?");
        assertThat(created.path("namespaceFormat").asText()).isEqualTo("browser_shop");
        assertThat(created.path("prefix").asText()).isEqualTo("shop_");
        assertThat(SchemaChangeStackTest.names(created)).containsExactlyInAnyOrder("users", "purchases");
        for (JsonNode st : created.path("streams")) {
            if (st.path("name").asText().equals("purchases")) {
                assertThat(st.path("primaryKey").toString()).as("the chosen key").isEqualTo("[[\"id\"]]");
                assertThat(st.path("destinationSyncMode").asText()).isEqualTo("append_dedup");
            } else {
                assertThat(st.path("syncMode").asText() + "|" + st.path("destinationSyncMode").asText()).isEqualTo("full_refresh|overwrite");
            }
        }
        assertThat(created.path("tags").size()).isEqualTo(1);
        JsonNode tag = call("GET", cs + "/tags", null).body().path(0);
        assertThat(tag.path("name").asText()).isEqualTo("marketing");
        assertThat(created.path("tags").path(0).asText()).isEqualTo(tag.path("tagId").asText());

        // 1. the Connections list
        browser.get(console + "/");
        wait.until(ExpectedConditions.urlContains("/connections"));
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-connection-id='" + id + "']")));
        assertThat(row.getText()).contains("Shop database → Browser warehouse", "active", "Shop database", "Browser warehouse",
                "marketing");
        assertThat(row.findElement(By.cssSelector(".tag")).getAttribute("style")).contains("--tag: #1E88E5");
        shot(browser, "1-connections");

        // 2. search as you type: nothing matches, then it is back
        WebElement search = browser.findElement(By.name("q"));
        search.sendKeys("no such connection");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("connections"), "No connection matches."));
        shot(browser, "2-search-nothing");
        search.clear();
        search.sendKeys("shop");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-connection-id='" + id + "']")));

        // 3. its page, Sync now, and the job as it runs and ends (the list may be redrawn live between find and click)
        new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    d.findElement(By.linkText("Shop database → Browser warehouse")).click();
                    return true;
                });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Shop database → Browser warehouse"));
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
        WebElement synced = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-connection-id='" + id + "']")));
        assertThat(synced.getText()).contains("succeeded", "marketing"); // its last sync, its tag
        long width = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth;");
        assertThat(width).isLessThanOrEqualTo(390);
        shot(browser, "4-connections-phone");

        // the rows the browser's Sync now wrote
        try (Connection db = stack.infrastructure().postgres().connect(Stack.WAREHOUSE);
                 ResultSet rs = db.createStatement().executeQuery("select (select count(*) from browser_shop.shop_users), "
                         + "(select count(*) from browser_shop.shop_purchases), (select count(distinct id) from browser_shop.shop_purchases), "
                         + "to_regclass('browser_shop.shop_products') is null")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(300);
            assertThat(rs.getLong(2)).as("purchases, deduplicated by the chosen key over two syncs").isEqualTo(500);
            assertThat(rs.getLong(3)).isEqualTo(500);
            assertThat(rs.getBoolean(4)).as("products deselected: no table").isTrue();
        }
    }

    /** The first step of New connection: this source and this destination, by name. */
    static void pick(String source, String destination) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//legend[text()='Source']")));
        // each label is the name, then its connector's: "Shop database · Postgres"
        browser.findElement(By.xpath("//fieldset[legend='Source']//label[normalize-space(text()[1])='" + source + "']/input")).click();
        browser.findElement(By.xpath("//fieldset[legend='Destination']//label[normalize-space(text()[1])='" + destination + "']/input")).click();
    }

    static org.openqa.selenium.support.ui.Select select(String ariaLabel) {
        return new org.openqa.selenium.support.ui.Select(wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("select[aria-label='" + ariaLabel + "']"))));
    }

    static String selected(String ariaLabel) {
        return select(ariaLabel).getFirstSelectedOption().getAttribute("value");
    }

    static String postgresSource(String name, String database) throws Exception {
        var pg = stack.infrastructure().postgres();
        return SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"" + name + "\",\"sourceType\":\"postgres\","
                + "\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"database\":\"" + database
                + "\"," + pg.superuser().configMembers() + "}}"), "sourceId");
    }

    /** A postgres (warehouse) or postgres-table (activation) destination on the stack's PostgreSQL; its id. */
    static String destination(String name, String type, String database, String schema) throws Exception {
        return SyncEngineStackTest.created(call("POST", cs + "/destinations", "{\"name\":\"" + name + "\",\"destinationType\":\""
                + type + "\",\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + stack.infrastructure().postgres().port()
                + ",\"database\":\"" + database + "\"," + (Stack.WAREHOUSE.equals(database) ? stack.warehouse()
                        : stack.infrastructure().postgres().superuser()).configMembers() + ",\"schema\":\""
                + schema + "\"}}"), "destinationId");
    }

    static void sql(String database, String... statements) throws Exception {
        try (Connection c = stack.infrastructure().postgres().connect(database)) {
            for (String st : statements) {
                c.createStatement().execute(st);
            }
        }
    }

    /**
     * Walk 2: data activation into a postgres-table destination. Upsert forces its matching key; "Set up connection"
     * stays disabled, saying what is missing, until every required field is mapped; the sync runs; the Rejected records
     * tab lists the bad rows with their reasons; export downloads them; dismiss removes them.
     */
    @Test
    void activationIntoATableWithItsRejectedRecordsReviewedExportedAndDismissed() throws Exception {
        var pg = stack.infrastructure().postgres();
        pg.createDatabase("browser_app");
        pg.createDatabase("browser_crm");
        sql("browser_app", "create table contacts (id bigint primary key, email text not null unique, "
                + "name varchar(20) not null, age integer)");
        // 60 people: 4 without an email, 3 with a name too long for contacts.name
        sql("browser_crm", "create table people (id bigint primary key, email text, full_name text not null, age integer, "
                + "updated_at timestamptz not null default now())",
                "insert into people select i, case when i % 15 = 0 then null else 'p' || i || '@example.com' end, "
                + "case when i % 20 = 7 then repeat('x', 30) else 'Person ' || i end, 20 + i % 40, now() from generate_series(1, 60) i");
        postgresSource("Browser CRM", "browser_crm");
        destination("Browser app", "postgres-table", "browser_app", "public");

        browser.get(console + "/connections/new");
        pick("Browser CRM", "Browser app");
        browser.findElement(By.xpath("//button[text()='Next']")).click();
        // the activation branch: the destination's objects, once discovered, one per stream
        new WebDriverWait(browser, Duration.ofSeconds(90)).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("select[aria-label='destination object of people']")));
        assertThat(browser.getCurrentUrl()).contains("/connections/new/mapping");
        assertThat(selected("destination object of people")).isEqualTo("contacts");
        assertThat(selected("insertion method of people")).isEqualTo("upsert");
        // upsert forces a matching key: one of the table's keys, no "none"
        assertThat(select("matching key of people").getOptions()).extracting(WebElement::getText).containsExactly("id", "email");
        assertThat(browser.findElement(By.cssSelector("tr[data-field='id']")).getText()).contains("matching key", "required");
        // fields of the same name are pre-filled; name (from full_name) is not, so Set up connection waits for it
        assertThat(selected("source of email")).isEqualTo("email");
        assertThat(selected("source of name")).isEmpty();
        assertThat(browser.findElement(By.id("set-up")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("missing")).getText()).contains("map the required field name");
        shot(browser, "5a-activation-missing");
        // insert needs no key: the picker goes; back to upsert, it is forced again
        select("insertion method of people").selectByValue("insert");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("select[aria-label='matching key of people']")));
        select("insertion method of people").selectByValue("upsert");
        wait.until(d -> selected("matching key of people").equals("id"));
        select("source of name").selectByValue("full_name");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("set-up")));
        assertThat(browser.findElements(By.id("missing"))).isEmpty();
        shot(browser, "5b-activation-mapped");
        browser.findElement(By.id("set-up")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Connection set up."));
        String id = browser.getCurrentUrl().replaceAll(".*/connections/([0-9a-f-]{36}).*", "$1");
        JsonNode created = call("GET", cs + "/connections/" + id, null).body();
        assertThat(created.at("/mappings/0/insertionMethod").asText()).isEqualTo("upsert");
        assertThat(created.at("/mappings/0/matchingKey").toString()).isEqualTo("[\"id\"]");

        // issue 22: the sync log turned on from its tab (into the app's own database), then a dry run read
        browser.get(console + "/connections/" + id + "/sync-logs");
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> {
            d.navigate().refresh(); // until sync-service has the connection
            return !d.findElements(By.cssSelector("[data-sync-log=off]")).isEmpty();
        });
        WebElement logs = browser.findElement(By.id("sync-logs-form"));
        WebElement days = logs.findElement(By.name("retentionDays"));
        days.clear();
        days.sendKeys("7");
        new org.openqa.selenium.support.ui.Select(logs.findElement(By.name("destinationId"))).selectByVisibleText("Browser app (postgres-table)");
        logs.findElement(By.cssSelector("button.primary")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Sync logs saved"));
        assertThat(browser.findElement(By.cssSelector("[data-sync-log=on]")).getText()).contains("Browser app", "7 days");
        shot(browser, "22b-sync-logs");
        browser.findElement(By.linkText("Schema")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a[data-dry-run]"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-run-dry-run]"))).click();
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-totals]")));
        assertThat(browser.findElement(By.cssSelector("[data-count=inserts]")).getText()).isEqualTo("53");
        assertThat(browser.findElement(By.cssSelector("[data-count=rejections]")).getText()).isEqualTo("7");
        assertThat(browser.findElement(By.cssSelector("details[data-outcome=rejections]")).getText())
                .contains("MISSING_REQUIRED", "TOO_LONG");
        shot(browser, "22c-dry-run");
        browser.get(console + "/connections/" + id);

        browser.findElement(By.xpath("//button[text()='Sync now']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-job-id].job-succeeded")));
        shot(browser, "5c-activation-synced");
        try (Connection db = pg.connect("browser_app");
             ResultSet rs = db.createStatement().executeQuery("select count(*) from contacts")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(60 - 4 - 3);
        }
        // the sync log tab counts the 60 operations once written, and the second visit turns it off
        browser.findElement(By.linkText("Sync logs")).click();
        new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.cssSelector("[data-written]")).getAttribute("data-written").equals("60"));
        try (Connection db = pg.connect("browser_app");
             ResultSet rs = db.createStatement().executeQuery("select status, count(*) from syncline_audit.sync_changelog "
                     + "where connection_id = '" + id + "' group by status order by status")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + " " + rs.getLong(2)).isEqualTo("rejected 7");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + " " + rs.getLong(2)).isEqualTo("succeeded 53");
        }
        browser.findElement(By.cssSelector("#sync-logs-form button.danger")).click();
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Sync logs turned off"));
        assertThat(browser.findElements(By.cssSelector("[data-sync-log=off]"))).hasSize(1);
        assertThat(call("GET", stack.url(Service.SYNC) + "/connections/" + id + "/sync-logs", null).body()
                .path("enabled").asBoolean()).isFalse();
        browser.get(console + "/connections/" + id);

        // the Rejected records tab: the 7 bad rows, each with its reason
        browser.findElement(By.linkText("Rejected records")).click();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> {
            d.navigate().refresh();
            return d.findElement(By.id("total")).getText().equals("7");
        });
        String tab = browser.findElement(By.cssSelector("table.rejected")).getText();
        assertThat(tab).contains("MISSING_REQUIRED", "email", "TOO_LONG", "name");
        shot(browser, "5d-rejected-records");
        // export: the browser downloads the CSV, a header and a line per open record
        browser.findElement(By.linkText("Export CSV")).click();
        Path csv = new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            try (var files = Files.list(downloads)) {
                return files.filter(f -> f.toString().endsWith(".csv")).findFirst().orElse(null);
            } catch (java.io.IOException e) {
                return null;
            }
        });
        assertThat(Files.readAllLines(csv)).hasSize(1 + 7);
        // dismiss one, then every TOO_LONG one
        WebElement first = browser.findElement(By.cssSelector("tr[data-rejected-id]"));
        String firstId = first.getAttribute("data-rejected-id");
        first.findElement(By.xpath(".//button[text()='Dismiss']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("total"), "6"));
        assertThat(browser.findElements(By.cssSelector("tr[data-rejected-id='" + firstId + "']"))).isEmpty();
        String tooLong = select("Reason").getOptions().stream().map(o -> o.getAttribute("value"))
                .filter(v -> v.equals("TOO_LONG")).findFirst().orElseThrow();
        select("Reason").selectByValue(tooLong);
        wait.until(ExpectedConditions.urlContains("reason=TOO_LONG"));
        int matching = Integer.parseInt(browser.findElement(By.id("total")).getText());
        assertThat(matching).isBetween(2, 3);
        browser.findElement(By.xpath("//button[text()='Dismiss all matching']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Dismissed " + matching));
        shot(browser, "5e-rejected-dismissed");
        JsonNode open = call("GET", stack.url(Service.REJECTS) + "/rejected-records?status=open&connectionId=" + id, null).body();
        assertThat(open.path("data").size()).isEqualTo(6 - matching);
    }

    /** Walk 3: a connection set up to approve schema changes by hand, a change in the source reviewed and approved. */
    @Test
    void aSchemaChangeInTheSourceIsReviewedAndApprovedOnTheSchemaTab() throws Exception {
        var pg = stack.infrastructure().postgres();
        pg.createDatabase("browser_orders");
        // no primary key in the source: the user picks a composite one
        sql("browser_orders", "create table orders (id bigint not null, region text not null, total numeric, "
                + "updated_at timestamptz not null default now())", "insert into orders values (1, 'eu', 10, now()), (1, 'us', 12, now())");
        postgresSource("Browser orders", "browser_orders");
        destination("Orders warehouse", "postgres", Stack.WAREHOUSE, "browser_orders");

        browser.get(console + "/connections/new");
        pick("Browser orders", "Orders warehouse");
        browser.findElement(By.xpath("//button[text()='Next']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(90)).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("select[aria-label='sync mode of orders']")));
        select("sync mode of orders").selectByVisibleText("Incremental | Append + Deduped");
        select("cursor of orders").selectByValue("updated_at");
        select("primary key of orders").selectByValue("id");
        select("primary key of orders").selectByValue("region");
        shot(browser, "6a-composite-key");
        browser.findElement(By.id("next")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("name")));
        browser.findElement(By.xpath("//summary[text()='Advanced settings']")).click();
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("schemaChangePolicy"))).selectByValue("ignore");
        browser.findElement(By.xpath("//button[text()='Set up connection']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Connection set up."));
        String id = browser.getCurrentUrl().replaceAll(".*/connections/([0-9a-f-]{36}).*", "$1");
        JsonNode created = call("GET", cs + "/connections/" + id, null).body();
        assertThat(created.path("schemaChangePolicy").asText()).isEqualTo("ignore");
        assertThat(created.at("/streams/0/primaryKey").toString()).isEqualTo("[[\"id\"],[\"region\"]]");
        assertThat(created.at("/streams/0/destinationSyncMode").asText()).isEqualTo("append_dedup");

        // the source changes: orders gains a column, a new table appears
        sql("browser_orders", "alter table orders add column currency text", "create table refunds (id bigint primary key, amount numeric)");
        browser.findElement(By.linkText("Schema")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("changes"), "No schema change is waiting for review."));
        browser.findElement(By.xpath("//button[text()='Refresh source schema']")).click();
        WebElement change = new WebDriverWait(browser, Duration.ofSeconds(90)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("section.schema-change")));
        assertThat(change.getText()).contains("New stream public.refunds", "orders: new field currency");
        // nothing is applied until approved
        assertThat(SchemaChangeStackTest.names(call("GET", cs + "/connections/" + id, null).body())).containsExactly("orders");
        // what approving would do to each table (issue 22, item 2): orders gains a column, refunds is a new table
        new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("[data-schema-preview] tr[data-table='browser_orders.refunds'][data-effect=new_table]"))
                        .size() == 1);
        WebElement currency = browser.findElement(By.cssSelector(
                "[data-schema-preview] tr[data-table='browser_orders.orders'] li[data-column=currency][data-change=added]"));
        assertThat(currency.getText()).contains("currency", "string", "added to the table; rows written before have it empty");
        shot(browser, "6b-schema-change-review");
        // approving while the source's catalog is still being stored is refused (409, "approve again in a moment")
        new WebDriverWait(browser, Duration.ofSeconds(60)).pollingEvery(Duration.ofSeconds(2)).until(d -> {
            if (d.findElements(By.xpath("//div[@class='flash' and text()='Schema changes approved.']")).size() > 0) {
                return true;
            }
            d.findElement(By.xpath("//button[text()='Approve changes']")).click();
            return false; // the next poll sees where it led
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Schema changes approved."));
        assertThat(browser.findElement(By.cssSelector("table.schema-streams")).getText()).contains("refunds");
        shot(browser, "6c-schema-change-approved");
        JsonNode approved = call("GET", cs + "/connections/" + id, null).body();
        assertThat(SchemaChangeStackTest.names(approved)).containsExactlyInAnyOrder("orders", "refunds");
        assertThat(SchemaChangeStackTest.fields(approved, "orders")).contains("currency");
        // the Timeline says so
        browser.findElement(By.linkText("Timeline")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "Schema changes approved"));
        shot(browser, "6d-timeline");

        // Settings edits what was set at creation, streams too: refunds out, orders keeps its composite key
        browser.findElement(By.linkText("Settings")).click();
        WebElement refunds = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("input[aria-label='sync refunds']")));
        assertThat(refunds.isSelected()).isTrue();
        assertThat(select("primary key of orders").getAllSelectedOptions()).extracting(WebElement::getText)
                .containsExactly("id", "region");
        refunds.click();
        browser.findElement(By.name("prefix")).sendKeys("o_");
        shot(browser, "6e-settings");
        browser.findElement(By.xpath("//button[text()='Save changes']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Settings saved."));
        JsonNode saved = call("GET", cs + "/connections/" + id, null).body();
        assertThat(SchemaChangeStackTest.names(saved)).containsExactly("orders");
        assertThat(saved.path("prefix").asText()).isEqualTo("o_");
        assertThat(saved.at("/streams/0/primaryKey").toString()).isEqualTo("[[\"id\"],[\"region\"]]");
        assertThat(saved.path("schemaChangePolicy").asText()).isEqualTo("ignore");
    }

    /**
     * The Operations page while a sync of 2,000,000 sample rows runs (reported every second): a sync running with non-zero rows/s, messages
     * coming into a topic, a consumer group lagging; at the phone width too.
     */
    @Test
    void theOperationsPageShowsRatesAndLagWhileASyncRuns() throws Exception {
        var pg = stack.infrastructure().postgres();
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"Ops sample\",\"sourceType\":\"sample-data\","
                + "\"configuration\":{\"seed\":7,\"rows\":2000000,\"malformed_rows\":2000}}"), "sourceId");
        String destination = destination("Ops warehouse", "postgres", Stack.WAREHOUSE, "ops");
        poll("source discovered", Duration.ofSeconds(90), () -> call("GET", cs + "/sources/" + source + "/catalog", null).body(),
                c -> c.path("status").asText().equals("discovered"));
        String id = SyncEngineStackTest.created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source + "\",\"destinationId\":\""
                + destination + "\",\"streams\":[{\"name\":\"users\"},{\"name\":\"products\",\"selected\":false},"
                + "{\"name\":\"purchases\",\"selected\":false}]}"), "connectionId");
        poll("schema discovered", Duration.ofSeconds(90), () -> call("GET", cs + "/connections/" + id + "/catalog", null).body(),
                c -> c.path("status").asText().equals("discovered"));
        browser.get(console + "/operations");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("li[data-service='sync-service'] .status-succeeded")));
        // the pages' live updates: server-sent events from the console, one per change of this connection's jobs
        java.util.concurrent.CompletableFuture<java.util.List<String>> pushed = java.net.http.HttpClient.newHttpClient().sendAsync(
                EndToEndTest.browser(console + "/live/connections/" + id).build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines()).thenApply(r -> r.body()
                .filter(l -> l.startsWith("event:") || l.startsWith("data:")).limit(2).toList());
        assertThat(call("POST", cs + "/connections/" + id + "/sync", null).status()).isEqualTo(202);
        boolean[] seen = new boolean[4]; // a sync running at rows/s > 0, messages in, a group lagging, rejects counted
        new WebDriverWait(browser, Duration.ofSeconds(180)).pollingEvery(Duration.ofMillis(300)).until(d -> {
            try {
                WebElement syncs = d.findElement(By.id("syncs"));
                WebElement running = syncs.findElement(By.cssSelector("[data-syncs-running]"));
                String rows = syncs.findElement(By.cssSelector("[data-rows-rate]")).getAttribute("data-rows-rate");
                if (Integer.parseInt(running.getAttribute("data-syncs-running")) > 0 && !rows.equals("0/s")) {
                    if (!seen[0]) {
                        Files.write(SHOTS.resolve("7a-operations-sync-running.png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
                    }
                    seen[0] = true;
                }
                seen[1] |= d.findElements(By.cssSelector("tr[data-topic] td[data-peak-in]")).stream()
                        .anyMatch(td -> !td.getAttribute("data-peak-in").equals("0/s"));
                seen[2] |= d.findElements(By.cssSelector("tr[data-group] td[data-peak-lag]")).stream()
                        .anyMatch(td -> Long.parseLong(td.getAttribute("data-peak-lag")) > 0);
                seen[3] |= !syncs.getText().contains("· 0/s rejected");
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException swapped) {
                return false; // htmx swapped the tables between two reads
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return seen[0] && seen[1] && seen[2];
        });
        assertThat(seen[3]).as("rejects/s seen while 2,000 malformed rows were rejected").isTrue();
        assertThat(pushed.get(60, java.util.concurrent.TimeUnit.SECONDS)).containsExactly("event:job", "data:" + id);
        JsonNode series = new com.fasterxml.jackson.databind.ObjectMapper().readTree(EndToEndTest.page(console + "/operations/series"));
        assertThat(series.path("t").size()).isPositive();
        assertThat(series.path("rows").size()).isEqualTo(series.path("t").size());
        // the charts drew from it
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#chart-rows canvas")));
        shot(browser, "7b-operations");
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#chart-rows canvas")));
        long width = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth;");
        assertThat(width).isLessThanOrEqualTo(390);
        shot(browser, "7c-operations-phone");

        // ops/'s Grafana dashboard charts only metrics the services really export
        String dashboard = Files.readString(Path.of(System.getProperty("syncline.home", "..")).resolve("ops/grafana/dashboards/syncline.json"));
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\b(syncline_[a-z_]+|kafka_[a-z_]+|http_server_[a-z_]+|jvm_[a-z_]+)")
                .matcher(dashboard);
        StringBuilder exported = new StringBuilder();
        for (Service s : Service.values()) {
            exported.append(EndToEndTest.page(stack.url(s) + "/q/metrics"));
        }
        int checked = 0;
        while (names.find()) {
            String name = names.group(1).replaceAll("_(total|count)$", "");
            assertThat(exported.toString()).as("metric " + names.group(1) + " of the Grafana dashboard").contains(name);
            checked++;
        }
        assertThat(checked).isGreaterThan(8);

        // issue 19, item 7: the job's counts with thousands separators, its rejected count a link to those records,
        // its start in the viewer's time zone (here Tokyo) with the UTC value on hover
        JsonNode ended = poll("the 2,000,000-row job ended", Duration.ofSeconds(180), () -> call("GET", stack.url(Service.SYNC)
                + "/connections/" + id + "/jobs", null).body(), j -> !Set.of("pending", "running", "incomplete")
                .contains(j.path(0).path("status").asText())).path(0);
        long rejectedCount = ended.path("recordsRejected").asLong();
        assertThat(rejectedCount).as(ended.toString()).isGreaterThan(999);
        browser.manage().window().setSize(new Dimension(1280, 800));
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setTimezoneOverride", java.util.Map.of("timezoneId", "Asia/Tokyo"));
        try {
            browser.get(console + "/connections/" + id);
            WebElement job = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-job-id]")));
            assertThat(job.getText()).containsPattern("\\b2,0\\d\\d,\\d{3}\\b");
            WebElement rejected = job.findElement(By.cssSelector("a[href*='/rejected?job=']"));
            assertThat(rejected.getText()).isEqualTo(String.format(java.util.Locale.ROOT, "%,d", rejectedCount));
            WebElement started = job.findElement(By.cssSelector("time[datetime]"));
            wait.until(d -> started.getAttribute("title") != null && started.getAttribute("title").endsWith("UTC"));
            java.time.OffsetDateTime utc = java.time.OffsetDateTime.parse(started.getAttribute("datetime").replace(' ', 'T'));
            String tokyoHour = String.valueOf(utc.atZoneSameInstant(java.time.ZoneId.of("Asia/Tokyo")).getHour() % 12);
            assertThat(started.getText()).as("shown in Tokyo time").isNotEqualTo(started.getAttribute("datetime"))
                    .contains(tokyoHour.equals("0") ? "12" : tokyoHour);
            shot(browser, "7d-job-numbers-and-local-time");
            rejected.click();
            wait.until(ExpectedConditions.urlContains("/rejected?job="));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("total"), String.valueOf(rejectedCount)));
        } finally {
            ((ChromeDriver) browser).executeCdpCommand("Emulation.setTimezoneOverride", java.util.Map.of("timezoneId", ""));
        }
    }

    /**
     * A source of 10,000 tables: the Schema table shows 50 streams at a time, the filter searches all of them, "select
     * all" applies to all of them, and what was chosen on one page is still chosen after visiting others.
     */
    @Test
    void aTenThousandStreamCatalogIsPagedAndEveryChoiceIsKept() throws Exception {
        var pg = stack.infrastructure().postgres();
        pg.createDatabase("browser_many");
        for (int from = 1; from <= 10_000; from += 1000) {
            sql("browser_many", "do $$ begin for i in " + from + ".." + (from + 999) + " loop execute format("
                    + "'create table public.t%s (id int primary key, name text, updated_at timestamptz)', i); end loop; end $$;");
        }
        postgresSource("Browser many", "browser_many");
        destination("Many warehouse", "postgres", Stack.WAREHOUSE, "many");
        browser.get(console + "/connections/new");
        pick("Browser many", "Many warehouse");
        browser.findElement(By.xpath("//button[text()='Next']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(240)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("paging"), "(10000 in the source)"));
        assertThat(browser.findElement(By.id("paging")).getText()).contains("Streams 1–50 of 10000", "page 1 of 200");
        assertThat(browser.findElements(By.cssSelector("tr[data-stream]"))).hasSize(50);
        assertThat(browser.getPageSource().length()).as("one page of the catalog, not all of it").isLessThan(1_000_000);
        shot(browser, "9a-ten-thousand-streams");
        // none, then two of them found by the filter, one in another sync mode
        browser.findElement(By.id("select-all")).click();
        wait.until(d -> d.findElements(By.cssSelector("input.stream-selected")).stream().noneMatch(WebElement::isSelected));
        for (String table : List.of("t4242", "t9999")) {
            WebElement filter = browser.findElement(By.id("stream-filter"));
            filter.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), table);
            wait.until(d -> d.findElements(By.cssSelector("tr[data-stream]")).size() == 1
                    && !d.findElements(By.cssSelector("tr[data-stream='" + table + "']")).isEmpty());
            browser.findElement(By.cssSelector("input[aria-label='sync " + table + "']")).click();
        }
        select("sync mode of t9999").selectByVisibleText("Full refresh | Overwrite");
        browser.findElement(By.id("stream-filter")).sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"),
                org.openqa.selenium.Keys.BACK_SPACE);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("paging"), "page 1 of 200"));
        browser.findElement(By.xpath("//button[text()='Next page']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("paging"), "page 2 of 200"));
        assertThat(browser.findElements(By.cssSelector("input.stream-selected")).stream().noneMatch(WebElement::isSelected)).isTrue();
        // back to t9999: its choices were kept
        browser.findElement(By.id("stream-filter")).sendKeys("t9999");
        wait.until(d -> d.findElements(By.cssSelector("tr[data-stream]")).size() == 1);
        assertThat(browser.findElement(By.cssSelector("input[aria-label='sync t9999']")).isSelected()).isTrue();
        assertThat(selected("sync mode of t9999")).isEqualTo("full_refresh:overwrite");
        shot(browser, "9b-ten-thousand-filtered");
        browser.findElement(By.id("next")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("name")));
        browser.findElement(By.xpath("//button[text()='Set up connection']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Connection set up."));
        String id = browser.getCurrentUrl().replaceAll(".*/connections/([0-9a-f-]{36}).*", "$1");
        JsonNode created = call("GET", cs + "/connections/" + id, null).body();
        assertThat(SchemaChangeStackTest.names(created)).containsExactlyInAnyOrder("t4242", "t9999");
        for (JsonNode st : created.path("streams")) {
            if (st.path("name").asText().equals("t9999")) {
                assertThat(st.path("syncMode").asText() + "|" + st.path("destinationSyncMode").asText()).isEqualTo("full_refresh|overwrite");
            }
        }
    }

    /** Every page of the console at 1280×800 and at a 390-px phone width: it renders, nothing scrolls sideways. */
    @Test
    void everyPageIsUsableOnADesktopAndOnAPhone() throws Exception {
        var pg = stack.infrastructure().postgres();
        pg.createDatabase("sweep_app");
        sql("sweep_app", "create table contacts (id bigint primary key, email text not null, name text)");
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"Sweep sample\",\"sourceType\":\"sample-data\","
                + "\"configuration\":{\"rows\":50}}"), "sourceId");
        String warehouse = destination("Sweep warehouse", "postgres", Stack.WAREHOUSE, "sweep");
        String app = destination("Sweep app", "postgres-table", "sweep_app", "public");
        poll("source discovered", Duration.ofSeconds(90), () -> call("GET", cs + "/sources/" + source + "/catalog", null).body(),
                c -> c.path("status").asText().equals("discovered"));
        poll("objects discovered", Duration.ofSeconds(90), () -> call("GET", cs + "/destinations/" + app + "/objects", null).body(),
                c -> c.path("status").asText().equals("discovered"));
        String id = SyncEngineStackTest.created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source + "\",\"destinationId\":\""
                + warehouse + "\",\"name\":\"Sweep\"}"), "connectionId");
        assertThat(call("POST", cs + "/connections/" + id + "/sync", null).status()).isEqualTo(202);
        JsonNode job = poll("sweep synced", Duration.ofSeconds(120), () -> call("GET", stack.url(Service.SYNC) + "/connections/" + id
                + "/jobs", null).body(), j -> j.path(0).path("status").asText().equals("succeeded")).path(0);
        String activation = SyncEngineStackTest.created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source
                + "\",\"destinationId\":\"" + app + "\",\"name\":\"Sweep activation\",\"mappings\":[{\"stream\":\"users\","
                + "\"destinationObject\":\"contacts\",\"insertionMethod\":\"upsert\",\"matchingKey\":[\"id\"],"
                + "\"fields\":[{\"source\":[\"id\"],\"destination\":\"id\"},{\"source\":[\"email\"],\"destination\":\"email\"},"
                + "{\"source\":[\"name\"],\"destination\":\"name\"}]}]}"), "connectionId");
        java.util.Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("connections", "/connections");
        pages.put("activation-schema", "/connections/" + activation + "/schema");
        pages.put("new-connection", "/connections/new");
        pages.put("new-connection-schema", "/connections/new/schema?sourceId=" + source + "&destinationId=" + warehouse);
        pages.put("new-connection-mapping", "/connections/new/mapping?sourceId=" + source + "&destinationId=" + app);
        pages.put("connection-status", "/connections/" + id);
        pages.put("connection-timeline", "/connections/" + id + "/timeline");
        pages.put("connection-schema", "/connections/" + id + "/schema");
        pages.put("connection-rejected", "/connections/" + id + "/rejected");
        pages.put("connection-settings", "/connections/" + id + "/settings");
        pages.put("connection-notifications", "/connections/" + id + "/notifications");
        pages.put("connection-job-logs", "/connections/" + id + "/jobs/" + job.path("jobId").asLong());
        pages.put("sources", "/sources");
        pages.put("new-source", "/sources/new?type=postgres");
        pages.put("destinations", "/destinations");
        pages.put("new-destination", "/destinations/new?type=postgres");
        pages.put("operations", "/operations");
        pages.put("edit-source", "/sources/" + source + "/edit");
        pages.put("edit-destination", "/destinations/" + warehouse + "/edit");
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            browser.manage().window().setSize(new Dimension(size[0], size[1]));
            for (var p : pages.entrySet()) {
                browser.get(console + p.getValue());
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1")));
                assertThat(browser.findElements(By.cssSelector("[role=alert]"))).as(p.getKey()).isEmpty();
                long width = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth;");
                long viewport = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.clientWidth;");
                shot(browser, "8-" + p.getKey() + "-" + size[0]);
                assertThat(width).as(p.getKey() + " at " + size[0] + " px: nothing scrolls sideways").isLessThanOrEqualTo(viewport);
            }
        }
    }

    /**
     * Issue 19, item 1: a source whose check failed (a wrong password) is fixed from its edit page and tested again;
     * the user's second visit renames it, leaving the password empty, and the stored password is kept.
     */
    @Test
    void aSourceIsEditedItsPasswordFixedAndKeptWhenOnlyItsNameChanges() throws Exception {
        var pg = stack.infrastructure().postgres();
        pg.createDatabase("browser_edit_src");
        sql("browser_edit_src", "create table things (id bigint primary key)");
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"Edit me\",\"sourceType\":\"postgres\","
                + "\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"database\":\"browser_edit_src\","
                + "\"username\":\"" + pg.superuser().user() + "\",\"password\":\"not-the-password\"}}"), "sourceId");
        browser.get(console + "/sources");
        By check = By.cssSelector("tr[data-id='" + source + "'] .check");
        new WebDriverWait(browser, Duration.ofSeconds(90)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(check).getText().equals("failed"));
        browser.findElement(By.cssSelector("a[aria-label='Edit Edit me']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Edit source: Edit me"));
        WebElement password = browser.findElement(By.name("cfg.password"));
        assertThat(password.getAttribute("value")).as("a secret is never sent to the page").isEmpty();
        assertThat(password.getAttribute("placeholder")).contains("unchanged");
        assertThat(browser.findElement(By.name("cfg.database")).getAttribute("value")).isEqualTo("browser_edit_src");
        assertThat(browser.findElement(By.name("cfg.port")).getAttribute("value")).isEqualTo(String.valueOf(pg.port()));
        shot(browser, "10a-edit-source");
        password.sendKeys(pg.password());
        browser.findElement(By.xpath("//button[text()='Save changes']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Saved Edit me."));
        new WebDriverWait(browser, Duration.ofSeconds(90)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(check).getText().equals("succeeded"));

        // the second visit: only the name changes; the password left empty keeps the stored one, so the new check passes
        browser.get(console + "/sources/" + source + "/edit");
        WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("name")));
        name.clear();
        name.sendKeys("Edited {source}"); // braces: once read as a URI template by the redirect
        java.time.OffsetDateTime saved = java.time.OffsetDateTime.now().minusSeconds(1);
        browser.findElement(By.xpath("//button[text()='Save changes']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Saved Edited {source}."));
        JsonNode checked = poll("checked again after the rename", Duration.ofSeconds(90),
                () -> call("GET", cs + "/sources/" + source, null).body(),
                a -> !a.path("check").path("checkedAt").isMissingNode() && !a.path("check").path("checkedAt").isNull()
                        && java.time.OffsetDateTime.parse(a.path("check").path("checkedAt").asText()).isAfter(saved)
                        && !a.path("check").path("status").asText().equals("pending"));
        assertThat(checked.path("check").path("status").asText()).as(checked.toString()).isEqualTo("succeeded");
        assertThat(checked.path("name").asText()).isEqualTo("Edited {source}");
        assertThat(checked.path("configuration").path("password").asText()).isEqualTo("**********");
    }

    /**
     * Issue 19, item 1: a source a connection uses is not deleted, and the page says which connection; a delete the user
     * cancels does nothing; the connection is deleted from its Settings tab, then the source goes too.
     */
    @Test
    void aSourceInUseSaysWhichConnectionUsesItAndGoesOnceTheConnectionIsDeleted() throws Exception {
        String source = discoveredSampleSource("Delete me source", 10);
        String destination = destination("Delete me warehouse", "postgres", Stack.WAREHOUSE, "delete_me");
        String id = SyncEngineStackTest.created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source
                + "\",\"destinationId\":\"" + destination + "\",\"name\":\"Delete me\"}"), "connectionId");

        browser.get(console + "/sources");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label='Delete Delete me source']"))).click();
        assertThat(wait.until(ExpectedConditions.alertIsPresent()).getText()).contains("Delete Delete me source?");
        browser.switchTo().alert().dismiss(); // changed their mind: nothing happens
        assertThat(browser.findElements(By.cssSelector(".flash"))).isEmpty();
        browser.findElement(By.cssSelector("button[aria-label='Delete Delete me source']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Not deleted:"));
        assertThat(browser.findElement(By.cssSelector(".flash")).getText()).contains(id, "Delete me", "delete them first");
        assertThat(browser.findElements(By.cssSelector("tr[data-id='" + source + "']"))).hasSize(1);
        shot(browser, "10b-source-in-use");

        browser.get(console + "/connections/" + id + "/settings");
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[text()='Delete connection']"))).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Deleted Delete me."));
        assertThat(browser.getCurrentUrl()).as("the flash is said once: not in the address").endsWith("/connections");
        assertThat(browser.findElements(By.cssSelector("tr[data-connection-id='" + id + "']"))).isEmpty();
        assertThat(call("GET", cs + "/connections/" + id, null).body().path("status").asText()).isEqualTo("deprecated");

        browser.get(console + "/sources");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label='Delete Delete me source']"))).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Deleted Delete me source."));
        assertThat(browser.findElements(By.cssSelector("tr[data-id='" + source + "']"))).isEmpty();
        assertThat(call("GET", cs + "/sources/" + source, null).status()).isEqualTo(404);
    }

    /**
     * Issue 19, items 4 and 6: the schedule's inputs follow its type; a refused "Set up connection" comes back exactly as
     * the user left it, the error beside its field, and the new tag typed is not created until the setup is accepted.
     */
    @Test
    void aRefusedSetupKeepsEveryFieldAndMakesNoTagUntilItIsAccepted() throws Exception {
        String source = discoveredSampleSource("Kept source", 10);
        destination("Kept warehouse", "postgres", Stack.WAREHOUSE, "kept");
        browser.get(console + "/connections/new");
        pick("Kept source", "Kept warehouse");
        browser.findElement(By.xpath("//button[text()='Next']")).click();
        // item 6: each stream says the mode the preset gives it, and says it again as soon as the preset changes
        WebElement byPreset = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("select[aria-label='sync mode of users'] option[value='']")));
        assertThat(byPreset.getText()).isEqualTo("By the answer above: Incremental | Append + Deduped");
        browser.findElement(By.cssSelector("input[name=preset][value=append_history]")).click();
        assertThat(byPreset.getText()).isEqualTo("By the answer above: Incremental | Append");
        shot(browser, "10e-mode-per-stream");
        browser.findElement(By.cssSelector("input[name=preset][value=replicate_source]")).click();
        assertThat(byPreset.getText()).isEqualTo("By the answer above: Incremental | Append + Deduped");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("next"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("scheduleType")));
        assertThat(browser.findElement(By.name("basicUnits")).isDisplayed()).as("Manual: no 'Every'").isFalse();
        assertThat(browser.findElement(By.name("cronExpression")).isDisplayed()).as("Manual: no cron").isFalse();
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("scheduleType"))).selectByValue("cron");
        assertThat(browser.findElement(By.name("cronExpression")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.name("basicUnits")).isDisplayed()).as("Cron: no 'Every'").isFalse();
        browser.findElement(By.name("cronTimeZone")).clear();
        browser.findElement(By.name("cronTimeZone")).sendKeys("Europe/Paris");
        // the next three runs, as the user types: in December 06:00 in Paris is 05:00 UTC
        browser.findElement(By.name("cronExpression")).sendKeys("0 0 6 * * ?");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.findElements(By.cssSelector("#next-runs time[data-next-run]")).size() == 3);
        for (WebElement run : browser.findElements(By.cssSelector("#next-runs time[data-next-run]"))) {
            assertThat(run.getAttribute("datetime")).as("06:00 Europe/Paris").matches(".*T0[45]:00:00Z");
        }
        shot(browser, "10f-next-runs");
        browser.findElement(By.name("cronExpression")).clear();
        browser.findElement(By.name("cronExpression")).sendKeys("every morning please");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#next-runs [data-next-runs-problem]"), "not a valid Quartz cron expression"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("namespaceDefinition"))).selectByValue("custom_format");
        browser.findElement(By.name("namespaceFormat")).sendKeys("kept_ns");
        browser.findElement(By.name("prefix")).sendKeys("kept_");
        browser.findElement(By.name("newTagName")).sendKeys("zz-made-once-accepted");
        browser.findElement(By.xpath("//button[text()='Set up connection']")).click();

        WebElement cronError = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-field-error='schedule.cronExpression']")));
        assertThat(cronError.getText()).isNotBlank();
        assertThat(new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("scheduleType")))
                .getFirstSelectedOption().getAttribute("value")).isEqualTo("cron");
        assertThat(browser.findElement(By.name("cronExpression")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.name("basicUnits")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.name("cronExpression")).getAttribute("value")).isEqualTo("every morning please");
        assertThat(browser.findElement(By.name("cronTimeZone")).getAttribute("value")).isEqualTo("Europe/Paris");
        assertThat(new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("namespaceDefinition")))
                .getFirstSelectedOption().getAttribute("value")).isEqualTo("custom_format");
        assertThat(browser.findElement(By.name("namespaceFormat")).getAttribute("value")).isEqualTo("kept_ns");
        assertThat(browser.findElement(By.name("prefix")).getAttribute("value")).isEqualTo("kept_");
        assertThat(browser.findElement(By.name("newTagName")).getAttribute("value")).isEqualTo("zz-made-once-accepted");
        assertThat(call("GET", cs + "/tags", null).body().findValuesAsText("name")).as("no tag before the setup is accepted")
                .doesNotContain("zz-made-once-accepted");
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", cronError);
        shot(browser, "10c-refused-setup-kept");

        // the user's fix: a real cron; everything else as it was
        browser.findElement(By.name("cronExpression")).clear();
        browser.findElement(By.name("cronExpression")).sendKeys("0 0 6 * * ?");
        browser.findElement(By.xpath("//button[text()='Set up connection']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Connection set up."));
        String id = browser.getCurrentUrl().replaceAll(".*/connections/([0-9a-f-]{36}).*", "$1");
        JsonNode created = call("GET", cs + "/connections/" + id, null).body();
        assertThat(created.path("schedule").path("cronExpression").asText()).isEqualTo("0 0 6 * * ?");
        assertThat(created.path("schedule").path("cronTimeZone").asText()).isEqualTo("Europe/Paris");
        assertThat(created.path("namespaceFormat").asText()).isEqualTo("kept_ns");
        assertThat(created.path("prefix").asText()).isEqualTo("kept_");
        for (JsonNode st : created.path("streams")) { // what the page said the preset gives the stream is what it got
            if (st.path("name").asText().equals("users")) {
                assertThat(st.path("syncMode").asText() + ":" + st.path("destinationSyncMode").asText()).isEqualTo("incremental:append_dedup");
            }
        }
        JsonNode tags = call("GET", cs + "/tags", null).body();
        String tagId = null;
        for (JsonNode t : tags) {
            if (t.path("name").asText().equals("zz-made-once-accepted")) {
                tagId = t.path("tagId").asText();
            }
        }
        assertThat(tagId).as("the tag, made once the setup was accepted").isNotNull();
        assertThat(created.path("tags").toString()).contains(tagId);

        // item 3: a stream renamed on the Settings tab; saved, then saved again untouched: the rename survives both
        for (String visit : List.of("rename", "save again")) {
            browser.get(console + "/connections/" + id + "/settings");
            WebElement rename = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("input[aria-label='destination name of users']")));
            if (visit.equals("rename")) {
                assertThat(rename.getAttribute("value")).isEmpty();
                rename.sendKeys("people");
            } else {
                assertThat(rename.getAttribute("value")).as("shown on the second visit").isEqualTo("people");
            }
            browser.findElement(By.xpath("//button[text()='Save changes']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Settings saved."));
            JsonNode users = null;
            for (JsonNode st : call("GET", cs + "/connections/" + id, null).body().path("streams")) {
                if (st.path("name").asText().equals("users")) {
                    users = st;
                }
            }
            assertThat(users).as(visit).isNotNull();
            assertThat(users.path("destinationName").asText()).as(visit).isEqualTo("people");
        }
        shot(browser, "10d-stream-renamed");
    }

    /**
     * Item 2 and 5: an activation connection's mapping shown and edited on its Schema tab. A first sync rejects the
     * names too long for contacts.name (varchar(12), said beside the field); a rejected record shows the value it is
     * about and the payload sent, and its "fix mapping" link opens the mapping at that row; name mapped from the
     * nickname instead and saved, the next sync offers the rejected records again, writes them, and they are resolved.
     */
    @Test
    void anActivationMappingIsFixedFromARejectedRecordAndTheNextSyncResolvesTheRejections() throws Exception {
        var pg = stack.infrastructure().postgres();
        pg.createDatabase("fix_app");
        pg.createDatabase("fix_crm");
        sql("fix_app", "create table contacts (id bigint primary key, email text not null, name varchar(12) not null)");
        // 20 people; every fifth one's full name is longer than 12 characters, every nickname fits
        sql("fix_crm", "create table people (id bigint primary key, email text not null, full_name text not null, "
                + "nickname text not null, updated_at timestamptz not null default now())",
                "insert into people select i, 'p' || i || '@example.com', case when i % 5 = 0 then 'Someone with a long name '"
                + " || i else 'Person ' || i end, 'Nick ' || i, now() from generate_series(1, 20) i");
        String source = postgresSource("Fix CRM", "fix_crm");
        String destination = destination("Fix app", "postgres-table", "fix_app", "public");
        String body = "{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + destination + "\",\"name\":\"Fix CRM to app\","
                + "\"mappings\":[{\"namespace\":\"public\",\"stream\":\"people\",\"destinationObject\":\"contacts\","
                + "\"insertionMethod\":\"upsert\",\"matchingKey\":[\"id\"],\"syncMode\":\"incremental\",\"cursorField\":[\"updated_at\"],"
                + "\"fields\":[{\"source\":[\"id\"],\"destination\":\"id\"},{\"source\":[\"email\"],\"destination\":\"email\"},"
                + "{\"source\":[\"full_name\"],\"destination\":\"name\"}]}]}";
        String id = ActivationStackTest.createdOnceDiscovered(cs, body).path("connectionId").asText();
        String ss = stack.url(Service.SYNC);
        String rj = stack.url(Service.REJECTS);

        // issue 22, item 2: a dry run first, from the Schema tab: 16 inserts and the 4 long names, nothing written
        browser.get(console + "/connections/" + id + "/schema");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a[data-dry-run]"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-run-dry-run]"))).click();
        WebElement totals = new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-totals]")));
        assertThat(totals.findElement(By.cssSelector("[data-count=inserts]")).getText()).isEqualTo("16");
        assertThat(totals.findElement(By.cssSelector("[data-count=rejections]")).getText()).isEqualTo("4");
        WebElement rejections = browser.findElement(By.cssSelector("details[data-outcome=rejections]"));
        assertThat(rejections.getText()).contains("name: TOO_LONG", "Someone with a long name");
        shot(browser, "22b-dry-run");
        try (Connection c = stack.infrastructure().postgres().connect("fix_app");
             ResultSet rs = c.createStatement().executeQuery("select count(*) from contacts")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the dry run wrote nothing").isZero();
        }

        assertThat(call("POST", cs + "/connections/" + id + "/sync", null).status()).isEqualTo(202);
        JsonNode first = ActivationStackTest.awaitJob(ss, id, 1);
        assertThat(first.at("/streams/0/recordsRejected").asLong()).as(first.toString()).isEqualTo(4);

        // the Schema tab shows the whole mapping, with what contacts.name accepts
        browser.get(console + "/connections/" + id + "/schema");
        assertThat(selected("destination object of people")).isEqualTo("contacts");
        assertThat(selected("insertion method of people")).isEqualTo("upsert");
        assertThat(selected("matching key of people")).isEqualTo("id");
        assertThat(selected("sync mode of people")).isEqualTo("incremental");
        assertThat(selected("cursor of people")).isEqualTo("updated_at");
        assertThat(selected("source of name")).isEqualTo("full_name");
        assertThat(browser.findElement(By.cssSelector("[data-limits='name']")).getText()).isEqualTo("at most 12 characters");

        // the rejected records: the value each is about, the payload sent beside the record, and "fix mapping"
        browser.findElement(By.linkText("Rejected records")).click();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> {
            d.navigate().refresh();
            return d.findElement(By.id("total")).getText().equals("4");
        });
        WebElement row = browser.findElement(By.cssSelector("tr[data-rejected-id]"));
        assertThat(row.findElement(By.cssSelector("code[data-value='name']")).getText()).matches("\"Someone with a long name \\d+\"");
        row.findElement(By.tagName("summary")).click();
        assertThat(row.findElement(By.cssSelector("pre[data-sent]")).getText()).contains("\"name\"", "Someone with a long name");
        // the record as the source read it: only the fields the mapping reads (nickname is not one of them yet)
        assertThat(row.findElement(By.cssSelector("pre[data-record]")).getText()).contains("\"full_name\"").doesNotContain("nickname");
        shot(browser, "5f-rejected-value-and-payload");
        row.findElement(By.linkText("fix mapping")).click();
        WebElement fix = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr#fix")));
        assertThat(fix.getAttribute("data-field")).isEqualTo("name");
        assertThat(browser.getCurrentUrl()).contains("/connections/" + id + "/schema");

        // the user's second visit: unmapping a required field is refused before it is saved
        select("source of name").selectByValue("");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-missing='name']")));
        assertThat(browser.findElement(By.id("save-mapping")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("missing")).getText()).contains("map the required field name");
        // the fix: name from the nickname
        select("source of name").selectByValue("nickname");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("save-mapping")));
        shot(browser, "5g-mapping-fixed");
        browser.findElement(By.id("save-mapping")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Mapping saved."));
        JsonNode saved = call("GET", cs + "/connections/" + id, null).body().path("mappings").path(0);
        assertThat(saved.path("fields").toString()).contains("{\"source\":[\"nickname\"],\"destination\":\"name\"");
        assertThat(saved.path("insertionMethod").asText()).isEqualTo("upsert");
        assertThat(saved.path("cursorField").toString()).isEqualTo("[\"updated_at\"]");
        assertThat(selected("source of name")).as("shown as saved").isEqualTo("nickname");
        // nickname was never read before: the records rejected before lack it, so the page offers to read people again
        WebElement reread = browser.findElement(By.cssSelector("[data-reread='people']"));
        assertThat(reread.getText()).contains("people now reads nickname", "matched by their key");
        shot(browser, "5h-mapping-saved-reread");
        reread.findElement(By.cssSelector("button[data-reread-button='people']")).click();

        // read again from the start: the four come with their nickname, are written, and their rejections resolved
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Refreshing people"));
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> d.findElements(By.cssSelector("tr[data-job-id].job-succeeded")).size() == 2);
        try (Connection db = pg.connect("fix_app");
             ResultSet rs = db.createStatement().executeQuery("select count(*), count(*) filter (where name like 'Nick %') from contacts")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(20);
            assertThat(rs.getLong(2)).as("every contact's name from its nickname now").isEqualTo(20);
        }
        poll("4 resolved", Duration.ofSeconds(60), () -> ActivationStackTest.rejected(rj, "status=resolved&connectionId=" + id),
                r -> r.size() == 4);
        browser.get(console + "/connections/" + id + "/rejected?status=resolved");
        assertThat(browser.findElement(By.id("total")).getText()).isEqualTo("4");
        assertThat(ActivationStackTest.rejected(rj, "status=open&connectionId=" + id).size()).isZero();
    }

    /**
     * Item 8: the pick step filters its lists as the user types, each with its connector's name; "add one" goes to
     * the new source's form and comes back to the flow with the new source chosen and the destination kept.
     */
    @Test
    void thePickStepIsSearchableAndAddOneComesBackWithTheNewSourceChosen() throws Exception {
        String warehouse = destination("Pick warehouse", "postgres", Stack.WAREHOUSE, "picked");
        discoveredSampleSource("Pick decoy", 5);
        call("POST", cs + "/sources", "{\"name\":\"Pick other\",\"sourceType\":\"sample-data\",\"configuration\":{\"rows\":5}}");
        browser.get(console + "/connections/new");
        WebElement search = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[aria-label='Search sources']")));
        search.sendKeys("no such source anywhere");
        assertThat(browser.findElement(By.xpath("//fieldset[legend='Source']//p[contains(@class,'pick-none')]")).isDisplayed()).isTrue();
        search.clear();
        search.sendKeys("sample data"); // the connector's name finds it too
        assertThat(browser.findElement(By.xpath("//fieldset[legend='Source']//label[normalize-space(text()[1])='Pick decoy']")).isDisplayed()).isTrue();
        for (WebElement l : browser.findElements(By.cssSelector("fieldset label[data-pick]"))) {
            if (l.isDisplayed() && l.findElement(By.tagName("input")).getAttribute("name").equals("sourceId")) {
                assertThat(l.getText()).contains("Sample Data");
            }
        }
        shot(browser, "1b-pick-searched");
        browser.findElement(By.xpath("//fieldset[legend='Destination']//label[normalize-space(text()[1])='Pick warehouse']/input")).click();
        browser.findElement(By.xpath("//fieldset[legend='Source']//a[text()='add one']")).click();
        wait.until(ExpectedConditions.urlContains("/sources/new?flow=connection&keep=" + warehouse));
        browser.findElement(By.cssSelector("a[data-connector='sample-data']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("name"))).sendKeys("Added from the flow");
        browser.findElement(By.xpath("//button[text()='Set up source']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Created Added from the flow, chosen below."));
        assertThat(browser.getCurrentUrl()).contains("/connections/new");
        assertThat(browser.findElement(By.xpath("//fieldset[legend='Source']//label[normalize-space(text()[1])='Added from the flow']/input")).isSelected()).isTrue();
        assertThat(browser.findElement(By.xpath("//fieldset[legend='Destination']//label[normalize-space(text()[1])='Pick warehouse']/input")).isSelected()).isTrue();
        // an address in the link is never followed: only the console's own flow, and only an id is kept
        browser.get(console + "/sources/new?type=sample-data&flow=https://evil.example.com");
        assertThat(browser.findElements(By.name("flow"))).isEmpty();
        browser.get(console + "/sources/new?type=sample-data&flow=connection&keep=..%2F..%2Fadmin");
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.name("keep"))).getAttribute("value")).isEmpty();
    }

    /** A sample-data source of {@code rows} rows a stream, once its schema is discovered: its id. */
    static String discoveredSampleSource(String name, int rows) throws Exception {
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"" + name + "\","
                + "\"sourceType\":\"sample-data\",\"configuration\":{\"rows\":" + rows + "}}"), "sourceId");
        poll("source discovered", Duration.ofSeconds(90), () -> call("GET", cs + "/sources/" + source + "/catalog", null).body(),
                c -> c.path("status").asText().equals("discovered"));
        return source;
    }

    /**
     * Issue 22, item 3: an alert is added on the Notifications tab (a URL of Syncline's own is refused, keeping what was
     * typed), a test notification is sent and arrives signed, the rule is changed, then deleted.
     */
    @Test
    void anAlertIsAddedTestedChangedAndDeletedFromTheNotificationsTab() throws Exception {
        try (dev.syncline.testing.WebhookReceiver hook = dev.syncline.testing.WebhookReceiver.start()) {
            String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"Alert sample\","
                    + "\"sourceType\":\"sample-data\",\"configuration\":{\"rows\":5}}"), "sourceId");
            String warehouse = destination("Alert warehouse", "postgres", Stack.WAREHOUSE, "alerts");
            String id = SyncEngineStackTest.created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source
                    + "\",\"destinationId\":\"" + warehouse + "\",\"name\":\"Alerted\"}"), "connectionId");
            browser.get(console + "/connections/" + id);
            wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Notifications"))).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("section.notification-rules"),
                    "No rule yet"));
            // the intruder's move first: Syncline's own registry as the webhook
            WebElement form = browser.findElement(By.id("add-rule"));
            form.findElement(By.name("name")).sendKeys("On call");
            form.findElement(By.name("url")).sendKeys(stack.url(Service.CONNECTION) + "/connections");
            form.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-error-for=url]"), "Syncline itself"));
            form = browser.findElement(By.id("add-rule"));
            assertThat(form.findElement(By.name("name")).getAttribute("value")).isEqualTo("On call");
            WebElement url = form.findElement(By.name("url"));
            url.clear();
            url.sendKeys(hook.url("/alerts/t0k3n"));
            new org.openqa.selenium.support.ui.Select(form.findElement(By.name("format"))).selectByValue("slack");
            form.findElement(By.cssSelector("input[name=events][value=breaking_schema_change]")).click(); // untick
            form.findElement(By.name("secret")).sendKeys("a-long-random-signing-secret");
            form.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Notification rule added."));
            WebElement rule = browser.findElement(By.cssSelector("form.rule[data-rule]"));
            String ruleId = rule.getAttribute("data-rule");
            assertThat(rule.getText()).contains("On call", "/…", "signed").doesNotContain("t0k3n");
            assertThat(browser.getPageSource()).doesNotContain("t0k3n").doesNotContain("a-long-random-signing-secret");
            shot(browser, "22a-notifications");

            rule.findElement(By.cssSelector("button[data-send-test]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Test notification queued"));
            new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> !d.findElements(By.cssSelector("#deliveries tr[data-event=test][data-status=delivered]")).isEmpty());
            assertThat(hook.received()).hasSize(1);
            var got = hook.received().get(0);
            assertThat(got.path()).isEqualTo("/alerts/t0k3n");
            assertThat(got.header("X-Syncline-Signature-256")).isEqualTo("sha256="
                    + hmac("a-long-random-signing-secret", got.body()));
            assertThat(got.body()).startsWith("{\"text\":\"*Test notification*: Test notification from Syncline for Alerted");

            // the second visit: a new URL of Syncline's own is refused on the card, which keeps what was typed
            rule = browser.findElement(By.cssSelector("form.rule[data-rule='" + ruleId + "']"));
            WebElement ruleName = rule.findElement(By.name("name"));
            ruleName.clear();
            ruleName.sendKeys("On call (renamed)");
            rule.findElement(By.name("url")).sendKeys(stack.url(Service.SYNC) + "/jobs");
            rule.findElement(By.xpath(".//button[text()='Save rule']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("form.rule[data-rule='" + ruleId + "'] [data-error-for=url]"), "Syncline itself"));
            rule = browser.findElement(By.cssSelector("form.rule[data-rule='" + ruleId + "']"));
            assertThat(rule.findElement(By.name("name")).getAttribute("value")).isEqualTo("On call (renamed)");
            assertThat(rule.findElement(By.name("url")).getAttribute("value")).endsWith("/jobs");
            rule.findElement(By.name("url")).clear();
            // then no more "recovered", and the rule goes
            rule.findElement(By.cssSelector("input[name=events][value=sync_recovered]")).click();
            rule.findElement(By.xpath(".//button[text()='Save rule']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Notification rule saved."));
            JsonNode rules = call("GET", cs + "/connections/" + id + "/notification-rules", null).body();
            assertThat(rules.path(0).path("events").toString()).contains("sync_failed").doesNotContain("sync_recovered")
                    .doesNotContain("breaking_schema_change");
            assertThat(rules.path(0).path("format").asText()).isEqualTo("slack");
            browser.findElement(By.cssSelector("form.rule[data-rule='" + ruleId + "'] button.danger")).click();
            browser.switchTo().alert().accept();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Notification rule deleted."));
            assertThat(call("GET", cs + "/connections/" + id + "/notification-rules", null).body().size()).isZero();
            assertThat(browser.findElements(By.cssSelector("#deliveries tr[data-event=test]"))).as("the log stays").hasSize(1);
        }
    }

    static String hmac(String secret, String body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static void shot(WebDriver browser, String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
