package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.ajr.server.app.AjrServer;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.Slapd;
import dev.ajr.server.http.tls.TestCertificates;
import dev.ajr.server.web.ChromiumBrowser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The installation guide's verification steps 5 to 7 in a real browser: the guide's verification
 * job runs on the local Slurm cluster under an ajr server speaking HTTPS from PEM files, with LDAP
 * logins against a real slapd. A person logs in, finds the job, hovers the red triangle of each
 * attempt and reads CRASH and the segfault line in the tooltip. Every page is photographed into
 * {@code target/ui-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

  static final Path SHOTS = Path.of("target", "ui-screenshots");
  private static final String SEGFAULT = "Rank0: (1) segmentation fault: artificial segfault";
  private static final String OPERATOR_PASSWORD = "testpassword-" + UUID.randomUUID();
  private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
  private static final String VIEWER_PASSWORD = "viewer-" + UUID.randomUUID();
  private static final String LDAP_PASSWORD = "carol-" + UUID.randomUUID();

  private static Path root;
  private static Slapd slapd;
  private static TestCertificates tls;
  private static AjrServer server;
  private static ChromiumBrowser chromium;
  private static ApiClient operatorApi;
  private static long job;

  /** Script errors of the pages: none may happen. */
  private static final List<String> PAGE_ERRORS = new java.util.concurrent.CopyOnWriteArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void noScriptErrors() {
    assertThat(PAGE_ERRORS).as("script errors in the pages").isEmpty();
  }

  @BeforeAll
  static void start() throws Exception {
    SlurmCluster.requireRunning();
    Files.createDirectories(SHOTS);
    root = Files.createTempDirectory("ajr-dashboard-it-");
    tls = TestCertificates.create(Files.createDirectories(root.resolve("tls")));
    slapd = Slapd.start();
    slapd.addGroup("ajr-operators");
    slapd.addUser("carol", LDAP_PASSWORD, "ajr-operators");
    Path bindPassword = root.resolve("ldap-bind-password");
    Files.writeString(bindPassword, slapd.bindPassword());
    server =
        new AjrServer(
            SlurmCluster.serverConfig(
                root,
                Map.ofEntries(
                    Map.entry("server.tls-cert", tls.certFile().toString()),
                    Map.entry("server.tls-key", tls.keyFile().toString()),
                    Map.entry("auth.ldap.uri", slapd.ldapsUri()),
                    Map.entry("auth.ldap.bind-dn", slapd.bindDn()),
                    Map.entry("auth.ldap.bind-password-file", bindPassword.toString()),
                    Map.entry("auth.ldap.search-base", slapd.searchBase()),
                    Map.entry("auth.ldap.ca-cert", slapd.caCert().toString()),
                    Map.entry("auth.ldap.operator-group", slapd.groupDn("ajr-operators")))));
    // the guide's step 5: "cmsh -c 'user; add ajruser; set password testpassword; commit'"
    server.users().putUser("ajruser", OPERATOR_PASSWORD, Role.OPERATOR);
    server.users().putUser("it-admin", ADMIN_PASSWORD, Role.ADMIN);
    server.users().putUser("vera", VIEWER_PASSWORD, Role.VIEWER);
    server.start();
    assertThat(server.url()).startsWith("https://");
    operatorApi = new ApiClient(server.url(), "ajruser", OPERATOR_PASSWORD, tls.caFile());

    Path dir = Files.createDirectories(root.resolve("verification"));
    try (InputStream in =
        DashboardIT.class.getResourceAsStream("/dev/ajr/server/demo/bcm_sbatch_test_requeue.sh")) {
      Files.write(dir.resolve("bcm_sbatch_test_requeue.sh"), in.readAllBytes());
    }
    job =
        SlurmCluster.sbatch(
            dir,
            "-J",
            "ajr-verification-requeue-test",
            "-p",
            "debug",
            "bcm_sbatch_test_requeue.sh");
    operatorApi.await(
        "/api/v1/jobs/" + job,
        RecoveryOnSlurmContract.PATIENCE,
        "the verification job to be stopped at its requeue limit",
        j -> "STOPPED".equals(j.at("/job/status").asText()));
    chromium = new ChromiumBrowser();
  }

  @AfterAll
  static void stop() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    try {
      SlurmCluster.run(root, List.of("scancel", Long.toString(job)));
    } catch (IOException e) {
      // already gone
    }
    if (server != null) {
      server.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  private static Page newPage() {
    BrowserContext context =
        chromium
            .browser()
            .newContext(
                new Browser.NewContextOptions()
                    .setIgnoreHTTPSErrors(true) // the test CA is not in Chromium's store
                    .setViewportSize(1366, 768));
    Page page = context.newPage();
    page.onPageError(PAGE_ERRORS::add);
    return page;
  }

  private static void logIn(Page page, String user, String password) {
    page.getByPlaceholder("User name").fill(user);
    page.getByPlaceholder("Password").fill(password);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
    page.locator("#me-name").filter(new Locator.FilterOptions().setHasText(user)).waitFor();
  }

  private static void shoot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
  }

  @Test
  @Order(1)
  void anOperatorFindsTheJobAndReadsTheCrashInEachAttemptsTooltip() {
    Page page = newPage();
    // the guide's address of the dashboard still leads to it
    page.navigate(server.url() + "/mission-control/recovery-engine/dashboard/workflow");
    page.getByPlaceholder("User name").waitFor();
    assertThat(page.url()).endsWith("/ui/workflows");
    shoot(page, "01-login");
    logIn(page, "ajruser", OPERATOR_PASSWORD);
    page.getByTestId("job-search").fill(Long.toString(job));
    page.getByTestId("job-search").press("Enter");
    // the search result replaces the unfiltered page (which may show the job too): wait for it
    page.waitForURL("**/ui/workflows?q=" + job);
    page.getByTestId("page-range").filter(new Locator.FilterOptions().setHasText("of 1")).waitFor();
    Locator row = page.getByTestId("job-row-" + job);
    row.waitFor();
    assertThat(page.getByTestId("page-range").textContent()).isEqualTo("1–1 of 1");
    shoot(page, "02-workflows");

    // 1-5: two attempts, both KILLED because of a CRASH anomaly, each with a red triangle
    assertThat(row.getByTestId("attempt-0").getAttribute("data-state")).isEqualTo("KILLED");
    assertThat(row.getByTestId("attempt-1").getAttribute("data-state")).isEqualTo("KILLED");
    for (int attempt = 0; attempt < 2; attempt++) {
      Locator triangle = row.getByTestId("attempt-" + attempt).getByTestId("anomaly-marker");
      triangle.hover(); // 6: hover the red triangle
      Locator tooltip = page.getByTestId("tooltip");
      tooltip.waitFor();
      // 7: the expected verification data in the tooltip
      assertThat(page.getByTestId("tooltip-type").textContent()).isEqualTo("CRASH");
      assertThat(page.getByTestId("tooltip-line").textContent()).isEqualTo(SEGFAULT);
      assertThat(page.getByTestId("tooltip-action").textContent())
          .startsWith(attempt == 0 ? "RESTART" : "STOP");
      assertThat(tooltip.textContent()).contains("node");
      shoot(page, "03-tooltip-attempt-" + attempt);
      page.mouse().move(0, 0);
    }

    page.getByRole(
            AriaRole.LINK, new Page.GetByRoleOptions().setName(Long.toString(job)).setExact(true))
        .click();
    page.getByTestId("decision").nth(1).waitFor();
    assertThat(page.getByTestId("directive").textContent()).contains("valid", "1 requeue");
    assertThat(page.getByTestId("excerpt").first().textContent()).contains(SEGFAULT);
    assertThat(page.getByTestId("decision").nth(1).textContent())
        .contains("STOP", "limit of 1 is reached", "CANCEL", "VERIFIED");
    shoot(page, "04-job");

    // each page with what shows that its data arrived
    Map<String, String> loaded =
        Map.of("Nodes", "main h1 + p", "KPIs", "[data-testid=kpi-goodput]", "Audit", "main .pager");
    for (String name : List.of("Nodes", "KPIs", "Audit")) {
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name).setExact(true))
          .click();
      page.locator("h1").filter(new Locator.FilterOptions().setHasText(name)).waitFor();
      page.locator(loaded.get(name)).waitFor();
      assertThat(page.getByRole(AriaRole.ALERT).count()).as(name + " shows no error").isZero();
      shoot(page, "05-" + name.toLowerCase());
    }
    // the audit trail has this login and ajr's own decisions on the job
    assertThat(page.locator("main").textContent())
        .contains("login.ok", "ajruser", "decision.restart", "job:" + job);
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Rules").setExact(true))
        .click();
    page.getByTestId("diagnose-text").fill("epoch 3 loss 0.41\n" + SEGFAULT + "\n");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Diagnose")).click();
    page.getByTestId("diagnose-result").locator("table").waitFor();
    assertThat(page.getByTestId("diagnose-result").textContent()).contains("SEGFAULT");
    shoot(page, "06-rules");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Account")).click();
    page.locator("h1").filter(new Locator.FilterOptions().setHasText("Account")).waitFor();
    shoot(page, "07-account");
    page.context().close();
  }

  @Test
  @Order(2)
  void anAdministratorSeesUsersAndSettings() {
    Page page = newPage();
    page.navigate(server.url() + "/ui/admin");
    logIn(page, "it-admin", ADMIN_PASSWORD);
    page.locator("h1").filter(new Locator.FilterOptions().setHasText("Admin")).waitFor();
    page.getByText("ajruser").first().waitFor();
    page.getByText("server.tls-cert").waitFor();
    assertThat(page.locator("main").textContent()).contains("server.tls-cert", "(set)");
    assertThat(page.locator("main").textContent()).doesNotContain(slapd.bindPassword());
    shoot(page, "08-admin");
    page.context().close();
  }

  @Test
  @Order(3)
  void anLdapUserLogsInWithTheRoleOfTheirGroup() {
    Page page = newPage();
    page.navigate(server.url() + "/ui/workflows");
    logIn(page, "carol", LDAP_PASSWORD);
    assertThat(page.locator("#me-role").textContent()).isEqualTo("operator");
    page.getByTestId("job-row-" + job).waitFor();
    shoot(page, "09-ldap-user");
    page.context().close();
  }

  @Test
  @Order(4)
  void aViewerCannotSeeAnotherUsersJobThroughThePagesOrTheApi() throws Exception {
    Page page = newPage();
    page.navigate(server.url() + "/ui/workflows?q=" + job);
    logIn(page, "vera", VIEWER_PASSWORD);
    page.getByText("No job matches").waitFor();
    assertThat(page.getByTestId("job-row-" + job).count()).isZero();
    page.navigate(server.url() + "/ui/jobs/" + job);
    Locator alert = page.getByRole(AriaRole.ALERT);
    alert.waitFor();
    assertThat(alert.textContent()).contains("no job " + job);
    shoot(page, "10-viewer-refused");
    page.context().close();

    ApiClient viewerApi = new ApiClient(server.url(), "vera", VIEWER_PASSWORD, tls.caFile());
    assertThatNotFound(viewerApi, "/api/v1/jobs/" + job);
    JsonNode list = viewerApi.get("/api/v1/jobs?q=" + job);
    assertThat(list.get("total").asInt()).isZero();
  }

  private static void assertThatNotFound(ApiClient api, String path) {
    try {
      api.get(path);
      throw new AssertionError(path + " answered a viewer who does not own the job");
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("answered 404");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
