package dev.ajr.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.event.AjrEvent;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.Directive;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.node.NodeEvidence;
import dev.ajr.core.node.NodeIsolator;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.core.testing.MemoryNodeControl;
import dev.ajr.server.auth.LoginGuard;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.auth.WebSessions;
import dev.ajr.server.events.InProcessEventBus;
import dev.ajr.server.http.ApiServer;
import dev.ajr.server.http.NodeEndpoints;
import dev.ajr.server.http.TestApi;
import dev.ajr.server.http.WebLogins;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlNodeStore;
import dev.ajr.server.store.SqlRecoveryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages in real Chromium against an in-process server with a known store (no Slurm): login, the
 * workflows timeline and its tooltip, a job, a viewer's limits, live updates. The end-to-end run on
 * the cluster is {@code DashboardIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiTest {

  static final Path SHOTS = Path.of("target", "ui-screenshots", "in-process");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String SEGFAULT = "Rank0: (1) segmentation fault: artificial segfault";

  @TempDir static Path dataDir;
  private Database db;
  private SqlRecoveryStore store;
  private ApiServer server;
  private ChromiumBrowser chromium;
  private final InProcessEventBus bus = new InProcessEventBus();
  private final MemoryNodeControl slurm = new MemoryNodeControl("node01", "node02", "node03");
  private NodeIsolator isolator;

  /** Script errors of the pages: none may happen. */
  private final List<String> pageErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void noScriptErrors() {
    assertThat(pageErrors).as("script errors in the pages").isEmpty();
  }

  @BeforeAll
  void start() throws Exception {
    Files.createDirectories(SHOTS);
    Clock clock = Clock.systemUTC();
    db = Database.openSqlite(dataDir);
    store = new SqlRecoveryStore(db, clock);
    UserStore users = new UserStore(db, clock);
    users.putUser("olga", "olga-password-12", Role.OPERATOR);
    users.putUser("alice", "alice-password-1", Role.VIEWER);
    seed();
    SqlNodeStore nodeStore = new SqlNodeStore(db);
    isolator = slurm.isolator(nodeStore, e -> {}, clock);
    server =
        TestApi.on(db, clock)
            .store(store)
            .users(users)
            .nodes(new NodeEndpoints(nodeStore, isolator))
            .logins(
                new WebLogins(
                    new WebSessions(db, clock, Duration.ofHours(12), Duration.ofHours(2)),
                    LoginGuard.standard(clock),
                    (a, b, c, d) -> {},
                    clock))
            .events(bus)
            .start();
    chromium = new ChromiumBrowser();
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    server.close();
    db.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  private Page loggedIn(String user, String password) {
    BrowserContext context =
        chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1366, 768));
    Page page = context.newPage();
    page.onPageError(pageErrors::add);
    page.navigate(url("/ui/workflows"));
    page.getByPlaceholder("User name").fill(user);
    page.getByPlaceholder("Password").fill(password);
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Log in"))
        .click();
    page.locator("#me-name").filter(new Locator.FilterOptions().setHasText(user)).waitFor();
    return page;
  }

  @Test
  void anOperatorHoversEachRedTriangleAndReadsTheCrashInTheTooltip() {
    Page page = loggedIn("olga", "olga-password-12");
    Locator row = page.getByTestId("job-row-20");
    row.waitFor();
    Locator markers = row.getByTestId("anomaly-marker");
    assertThat(markers.count()).isEqualTo(2);
    for (int i = 0; i < 2; i++) {
      markers.nth(i).hover();
      Locator tip = page.getByTestId("tooltip");
      tip.waitFor();
      assertThat(tip.textContent())
          .contains("CRASH")
          .contains(SEGFAULT)
          .contains("node0" + (i + 1));
      if (i == 0) {
        assertThat(tip.textContent()).contains("RESTART");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("tooltip.png")));
      }
      page.mouse().move(0, 0);
    }
    page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("workflows.png")));
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.LINK,
            new Page.GetByRoleOptions().setName("20").setExact(true))
        .click();
    page.getByTestId("decision").first().waitFor();
    assertThat(page.getByTestId("directive").textContent()).contains("requeue");
    assertThat(page.getByTestId("excerpt").first().textContent()).contains(SEGFAULT);
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SHOTS.resolve("job.png")).setFullPage(true));
    page.context().close();
  }

  @Test
  void aNewJobAppearsWithoutReloadingThePage() {
    Page page = loggedIn("olga", "olga-password-12");
    page.getByTestId("job-row-20").waitFor();
    page.evaluate("window.ajrSamePage = true");
    Job job = job(22, "olga", DirectiveResult.ABSENT, JobStatus.RUNNING);
    store.saveJob(job);
    bus.publish(new AjrEvent.JobDiscovered(job));
    page.getByTestId("job-row-22").waitFor();
    assertThat(page.evaluate("window.ajrSamePage === true")).isEqualTo(true);
    page.context().close();
  }

  @Test
  void aUserMakesAnApiTokenOnTheAccountPageAndItWorks() throws Exception {
    Page page = loggedIn("olga", "olga-password-12");
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.LINK,
            new Page.GetByRoleOptions().setName("Account"))
        .click();
    page.getByLabel("Token name").fill("ci");
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Create token"))
        .click();
    String token = page.getByTestId("new-token").textContent();
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.CELL,
            new Page.GetByRoleOptions().setName("ci").setExact(true))
        .waitFor();
    page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("account.png")));
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/v1/me")))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"olga\"");
    page.context().close();
  }

  @Test
  void anOperatorSeesADrainWithItsEvidenceAndUndrainsTheNode() throws Exception {
    isolator.onEvidence(
        new NodeEvidence(
            "node03",
            21,
            0,
            Cause.GPU_HARDWARE,
            "gpu.xid.hardware",
            RecoveryAction.REQUEUE_EXCLUDE_NODE,
            "NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus",
            Evidence.KERNEL_LOG,
            Instant.now()));
    assertThat(slurm.state("node03").orElseThrow().drained()).isTrue();
    Page page = loggedIn("olga", "olga-password-12");
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.LINK,
            new Page.GetByRoleOptions().setName("Nodes").setExact(true))
        .click();
    Locator row = page.getByTestId("node-node03");
    row.waitFor();
    assertThat(row.textContent()).contains("DRAINED", "fallen off the bus");
    page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("nodes.png")));
    page.onDialog(dialog -> dialog.accept());
    row.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Locator.GetByRoleOptions().setName("Undrain"))
        .click();
    row.getByText("OK", new Locator.GetByTextOptions().setExact(true)).waitFor();
    assertThat(slurm.state("node03").orElseThrow().drained()).isFalse();
    page.context().close();
  }

  @Test
  void aViewerDoesNotSeeAnotherUsersJob() {
    Page page = loggedIn("alice", "alice-password-1");
    page.getByTestId("job-row-21").waitFor();
    assertThat(page.getByTestId("job-row-20").count()).isZero();
    page.navigate(url("/ui/jobs/20"));
    Locator alert = page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT);
    alert.waitFor();
    assertThat(alert.textContent()).contains("no job 20");
    assertThat(
            page.getByRole(
                    com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("Nodes"))
                .count())
        .isZero();
    page.context().close();
  }

  @Test
  void aWrongPasswordSaysSoAndSetsNoSession() {
    Page page = chromium.browser().newPage();
    page.navigate(url("/ui/workflows"));
    page.getByPlaceholder("User name").fill("olga");
    page.getByPlaceholder("Password").fill("wrong-password");
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Log in"))
        .click();
    Locator alert = page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT);
    alert.filter(new Locator.FilterOptions().setHasText("wrong")).waitFor();
    assertThat(page.context().cookies()).isEmpty();
    page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("login-failed.png")));
    page.context().close();
  }

  private void seed() {
    Directive requeue = new Directive(AutoResumeMode.REQUEUE, OptionalInt.of(1));
    store.saveJob(job(20, "root", new DirectiveResult.Valid(requeue), JobStatus.STOPPED));
    store.saveJob(job(21, "alice", DirectiveResult.ABSENT, JobStatus.RUNNING));
    store.saveAttempt(
        new Attempt(20, 0, AttemptState.KILLED, List.of("node01"), T0, T0.plusSeconds(9), 0, ""));
    store.saveAttempt(
        new Attempt(
            20,
            1,
            AttemptState.KILLED,
            List.of("node02"),
            T0.plusSeconds(20),
            T0.plusSeconds(31),
            0,
            ""));
    store.saveAttempt(
        new Attempt(21, 0, AttemptState.RUNNING, List.of("node03"), T0, null, null, ""));
    for (int attempt = 0; attempt < 2; attempt++) {
      Anomaly an =
          store
              .addAnomaly(
                  new Anomaly(
                      0,
                      20,
                      attempt,
                      AnomalyType.CRASH,
                      Cause.CRASH_SEGFAULT,
                      "segfault",
                      RecoveryAction.REQUEUE,
                      SEGFAULT,
                      "/home/root/out_" + attempt + ".log",
                      7,
                      "node0" + (attempt + 1),
                      T0.plusSeconds(5 + 20L * attempt),
                      T0.plusSeconds(5 + 20L * attempt),
                      T0.plusSeconds(5 + 20L * attempt),
                      Evidence.JOB_OUTPUT))
              .orElseThrow();
      Decision d =
          store.addDecision(
              new Decision(
                  0,
                  20,
                  attempt,
                  attempt == 0 ? Operation.RESTART : Operation.STOP,
                  List.of(attempt == 0 ? "requeue 1 of 1" : "the requeue limit of 1 is reached"),
                  an.id(),
                  DecisionState.PLANNED,
                  false,
                  "",
                  T0.plusSeconds(6 + 20L * attempt),
                  null),
              List.of(
                  new Action(
                      0,
                      0,
                      0,
                      attempt == 0 ? ActionKind.REQUEUE_HOLD : ActionKind.CANCEL,
                      20,
                      List.of(),
                      ActionState.VERIFIED,
                      1,
                      attempt == 0 ? "held, restart count 1" : "cancelled",
                      T0.plusSeconds(6 + 20L * attempt),
                      T0.plusSeconds(8 + 20L * attempt))));
      store.saveDecision(d.withState(DecisionState.DONE, T0.plusSeconds(9 + 20L * attempt)));
    }
  }

  private static Job job(long id, String user, DirectiveResult directive, JobStatus status) {
    return new Job(
        id,
        "train-" + id,
        user,
        "debug",
        "/home/" + user,
        "/home/" + user + "/slurm-" + id + ".out",
        "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1}}",
        "",
        directive,
        status,
        "",
        T0.minusSeconds(60),
        T0);
  }
}
