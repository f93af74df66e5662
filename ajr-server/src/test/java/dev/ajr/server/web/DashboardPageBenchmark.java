package dev.ajr.server.web;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.http.ApiServer;
import dev.ajr.server.http.TestApi;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.LargeStoreSeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * How long the pages take in real Chromium with 10,000 jobs and 100,000 attempts in the store
 * (docs/benchmarks.md; run with scripts/bench-pages.sh, not part of the test suite): from asking
 * for a page to its data being on screen, p50 / p95 / max over {@code ajr.bench.requests} loads
 * after a warm-up, against an in-process server on embedded SQLite. Timings are reported, never
 * asserted.
 */
class DashboardPageBenchmark {

  @Test
  void measureThePages() throws Exception {
    int jobs = Integer.getInteger("ajr.bench.jobs", 10_000);
    int attempts = Integer.getInteger("ajr.bench.attempts", 10);
    int loads = Integer.getInteger("ajr.bench.requests", 30);
    Path dir = Files.createTempDirectory("ajr-bench-pages-");
    Database db = Database.openSqlite(dir);
    LargeStoreSeed.Counts counts = LargeStoreSeed.seed(db, jobs, attempts, 42);
    Clock clock = Clock.systemUTC();
    UserStore users = new UserStore(db, clock);
    users.putUser("bench-operator", "bench-password-1", Role.OPERATOR);
    ApiServer api = TestApi.on(db, clock).users(users).start();
    StringBuilder report = new StringBuilder();
    try (ChromiumBrowser chromium = new ChromiumBrowser()) {
      Page page =
          chromium
              .browser()
              .newContext(new Browser.NewContextOptions().setViewportSize(1366, 768))
              .newPage();
      String base = "http://127.0.0.1:" + api.port();
      page.navigate(base + "/ui/workflows");
      page.getByPlaceholder("User name").fill("bench-operator");
      page.getByPlaceholder("Password").fill("bench-password-1");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
      page.getByTestId("page-range").waitFor();
      long someJob = counts.firstJobId() + jobs / 3;
      report.append(
          String.format(
              "Machine: %d cores, Java %s, %s; Chromium %s headless; %d jobs, %d attempts, %d"
                  + " anomalies in embedded SQLite; %d loads per page after %d of warm-up%n%n",
              Runtime.getRuntime().availableProcessors(),
              Runtime.version(),
              System.getProperty("os.name"),
              chromium.browser().version(),
              counts.jobs(),
              counts.attempts(),
              counts.anomalies(),
              loads,
              loads / 3));
      report.append("| page (until its data is on screen) | p50 ms | p95 ms | max ms |\n");
      report.append("|---|---:|---:|---:|\n");
      measure(
          report,
          "Workflows, first 100 jobs with timelines",
          loads,
          page,
          p -> load(p, base + "/ui/workflows", "page-range"));
      measure(
          report,
          "Workflows filtered by cause",
          loads,
          page,
          p -> load(p, base + "/ui/workflows?cause=CRASH_SEGFAULT", "page-range"));
      measure(
          report,
          "Workflows, search by job id",
          loads,
          page,
          p -> load(p, base + "/ui/workflows?q=" + someJob, "job-row-" + someJob));
      measure(
          report,
          "Workflows, page 100 (offset 9,900)",
          loads,
          page,
          p -> load(p, base + "/ui/workflows?offset=9900", "page-range"));
      measure(
          report, "Job page", loads, page, p -> load(p, base + "/ui/jobs/" + someJob, "directive"));
      measure(
          report,
          "KPIs (30 days)",
          loads,
          page,
          p -> load(p, base + "/ui/kpis?range=30d", "kpi-goodput"));
      page.navigate(base + "/ui/workflows");
      page.getByTestId("page-range").waitFor();
      Locator markers = page.getByTestId("anomaly-marker");
      measure(
          report,
          "Tooltip after hovering a red triangle",
          loads,
          page,
          p -> {
            p.mouse().move(0, 0);
            p.getByTestId("tooltip")
                .waitFor(
                    new Locator.WaitForOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.HIDDEN));
            markers.nth((int) (System.nanoTime() % Math.min(20, markers.count()))).hover();
            p.getByTestId("tooltip").waitFor();
          });
    } finally {
      api.close();
      db.close();
    }
    Path out = Path.of("target", "dashboard-page-benchmark.md");
    Files.writeString(out, report.toString());
    System.out.println(report);
  }

  private static void load(Page page, String url, String testId) {
    page.navigate(url);
    page.getByTestId(testId).first().waitFor();
  }

  private static void measure(
      StringBuilder report, String name, int loads, Page page, Consumer<Page> action) {
    for (int i = 0; i < loads / 3; i++) {
      action.accept(page);
    }
    double[] ms = new double[loads];
    for (int i = 0; i < loads; i++) {
      long start = System.nanoTime();
      action.accept(page);
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    report.append(
        String.format(
            "| %s | %.0f | %.0f | %.0f |%n",
            name, ms[loads / 2], ms[(int) Math.ceil(loads * 0.95) - 1], ms[loads - 1]));
  }
}
