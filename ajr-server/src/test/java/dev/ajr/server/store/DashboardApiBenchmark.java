package dev.ajr.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.store.JobFilter;
import dev.ajr.server.auth.Role;
import dev.ajr.server.auth.UserStore;
import dev.ajr.server.http.ApiServer;
import dev.ajr.server.http.TestApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dashboard API at scale, behind docs/benchmarks.md (run with scripts/bench-api.sh; not part of
 * the test suite): seeds each database with {@link LargeStoreSeed} (10,000 jobs of 10 attempts by
 * default), starts the API in-process, and times each call from a client on the same machine, one
 * request at a time: p50, p95 and max over {@code ajr.bench.requests} requests after a warm-up. It
 * also prints the query plans of the list and count queries. Timings are reported, never asserted.
 *
 * <p>System properties: {@code ajr.bench.databases} (sqlite,mariadb,postgresql), {@code
 * ajr.bench.jobs} (10000), {@code ajr.bench.attempts} (10), {@code ajr.bench.requests} (200).
 */
class DashboardApiBenchmark {

  private final HttpClient http = HttpClient.newHttpClient();
  private final StringBuilder report = new StringBuilder();

  @Test
  void measureTheDashboardApi() throws Exception {
    String[] databases = System.getProperty("ajr.bench.databases", "sqlite,mariadb").split(",");
    int jobs = Integer.getInteger("ajr.bench.jobs", 10_000);
    int attempts = Integer.getInteger("ajr.bench.attempts", 10);
    int requests = Integer.getInteger("ajr.bench.requests", 200);
    line(
        "Machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, Java "
            + Runtime.version()
            + ", "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch")
            + "; "
            + jobs
            + " jobs of "
            + attempts
            + " attempts, "
            + requests
            + " requests per call after "
            + requests / 4
            + " of warm-up");
    for (String database : databases) {
      run(database.strip(), jobs, attempts, requests);
    }
    Path out = Path.of("target", "dashboard-api-benchmark.md");
    Files.writeString(out, report.toString());
    System.out.println(report);
  }

  private void run(String database, int jobs, int attempts, int requests) throws Exception {
    String name = TestDatabases.newName();
    Database db =
        switch (database) {
          case "sqlite" -> Database.openSqlite(Files.createTempDirectory("ajr-bench-api-"));
          case "mariadb" ->
              Database.open(
                  new Database.Settings(TestDatabases.createMariaDb(name), "root", "", 4, true));
          case "postgresql" ->
              Database.open(
                  new Database.Settings(
                      TestDatabases.createPostgres(name), "postgres", "", 4, true));
          default -> throw new IllegalArgumentException("unknown database " + database);
        };
    try {
      long seedStart = System.nanoTime();
      LargeStoreSeed.Counts counts = LargeStoreSeed.seed(db, jobs, attempts, 42);
      long seedMs = (System.nanoTime() - seedStart) / 1_000_000;
      line("");
      line("### " + database + " (" + db.dialect() + ")");
      line("");
      line(
          "Seeded "
              + counts.jobs()
              + " jobs, "
              + counts.attempts()
              + " attempts, "
              + counts.anomalies()
              + " anomalies, "
              + counts.decisions()
              + " decisions, "
              + counts.actions()
              + " actions in "
              + seedMs
              + " ms.");
      line("");
      Clock clock = Clock.systemUTC();
      UserStore users = new UserStore(db, clock);
      users.putUser("bench-admin", "bench-pass", Role.ADMIN);
      users.putUser("user07", "bench-pass", Role.VIEWER);
      ApiServer api = TestApi.on(db, clock).users(users).start();
      try {
        String base = "http://127.0.0.1:" + api.port();
        String admin = basic("bench-admin");
        String viewer = basic("user07");
        long someJob = counts.firstJobId() + jobs / 3;
        Map<String, String[]> calls = new LinkedHashMap<>();
        calls.put("GET /api/v1/jobs (default page of 100)", new String[] {"/api/v1/jobs", admin});
        calls.put(
            "GET /api/v1/jobs?cause=CRASH_SEGFAULT",
            new String[] {"/api/v1/jobs?cause=CRASH_SEGFAULT", admin});
        calls.put("GET /api/v1/jobs?user=user07", new String[] {"/api/v1/jobs?user=user07", admin});
        calls.put(
            "GET /api/v1/jobs?partition=debug",
            new String[] {"/api/v1/jobs?partition=debug", admin});
        calls.put("GET /api/v1/jobs?q=<job id>", new String[] {"/api/v1/jobs?q=" + someJob, admin});
        calls.put(
            "GET /api/v1/jobs?q=llama-pre (name)",
            new String[] {"/api/v1/jobs?q=llama-pre", admin});
        calls.put(
            "GET /api/v1/jobs?offset=9900&limit=250",
            new String[] {"/api/v1/jobs?offset=9900&limit=250", admin});
        calls.put("GET /api/v1/jobs?limit=250", new String[] {"/api/v1/jobs?limit=250", admin});
        calls.put("GET /api/v1/jobs as a viewer", new String[] {"/api/v1/jobs", viewer});
        calls.put("GET /api/v1/jobs/{id}", new String[] {"/api/v1/jobs/{id}", admin});
        calls.put("GET /api/v1/jobs/facets", new String[] {"/api/v1/jobs/facets", admin});
        calls.put(
            "GET /api/v1/jobs/facets as a viewer", new String[] {"/api/v1/jobs/facets", viewer});
        line("| call | p50 ms | p95 ms | max ms | body KiB |");
        line("|---|---:|---:|---:|---:|");
        Random random = new Random(1);
        for (var call : calls.entrySet()) {
          String path = call.getValue()[0];
          String auth = call.getValue()[1];
          int bytes = 0;
          double[] ms = new double[requests];
          for (int i = -requests / 4; i < requests; i++) {
            String p =
                path.replace("{id}", Long.toString(counts.firstJobId() + random.nextInt(jobs)));
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r =
                http.send(
                    HttpRequest.newBuilder(URI.create(base + p))
                        .header("Authorization", auth)
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            long t1 = System.nanoTime();
            assertThat(r.statusCode()).as(p).isEqualTo(200);
            if (i >= 0) {
              ms[i] = (t1 - t0) / 1e6;
              bytes = r.body().length;
            }
          }
          Arrays.sort(ms);
          line(
              String.format(
                  Locale.ROOT,
                  "| %s | %.1f | %.1f | %.1f | %.0f |",
                  call.getKey(),
                  ms[ms.length / 2],
                  ms[(int) Math.ceil(ms.length * 0.95) - 1],
                  ms[ms.length - 1],
                  bytes / 1024.0));
        }
      } finally {
        api.close();
      }
      line("");
      plans(db);
    } finally {
      db.close();
      if (database.equals("mariadb")) {
        TestDatabases.dropMariaDb(name);
      } else if (database.equals("postgresql")) {
        TestDatabases.dropPostgres(name);
      }
    }
  }

  /** The plans of the list and count queries for each filter, as the database explains them. */
  private void plans(Database db) {
    Map<String, JobFilter> filters = new LinkedHashMap<>();
    JobFilter page = JobFilter.page(100, 0);
    filters.put("default page", page);
    filters.put("cause", page.withCause(dev.ajr.core.detect.Cause.CRASH_SEGFAULT));
    filters.put("user", page.withUser("user07"));
    filters.put("partition", page.withPartition("debug"));
    filters.put("status", page.withStatus(dev.ajr.core.job.JobStatus.RUNNING));
    filters.put("deep page", JobFilter.page(250, 9900));
    String explain =
        switch (db.dialect()) {
          case SQLITE -> "EXPLAIN QUERY PLAN ";
          case MARIADB, POSTGRESQL -> "EXPLAIN ";
        };
    line("Query plans:");
    line("");
    line("```");
    for (var f : filters.entrySet()) {
      for (boolean count : new boolean[] {false, true}) {
        List<Object> params = new ArrayList<>();
        String sql =
            count
                ? SqlJobBrowser.countSql(f.getValue(), params)
                : SqlJobBrowser.pageSql(f.getValue(), params);
        line("-- " + f.getKey() + (count ? " (count)" : " (page)"));
        for (String row :
            db.query(explain + sql, DashboardApiBenchmark::planRow, params.toArray())) {
          line(row);
        }
      }
    }
    line("```");
  }

  private static String planRow(java.sql.ResultSet r) throws java.sql.SQLException {
    int n = r.getMetaData().getColumnCount();
    List<String> cells = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String label = r.getMetaData().getColumnLabel(i);
      String v = r.getString(i);
      if (v != null
          && !label.equals("id")
          && !label.equals("parent")
          && !label.equals("notused")
          && !label.equals("filtered")) {
        cells.add(n == 1 ? v : label + "=" + v);
      }
    }
    return String.join(" ", cells);
  }

  private void line(String text) {
    report.append(text).append('\n');
  }

  private static String basic(String user) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":bench-pass").getBytes(StandardCharsets.UTF_8));
  }
}
