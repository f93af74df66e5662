package dev.ajr.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every query of the Grafana dashboard (grafana/ajr-kpis.json) runs on MariaDB against the KPI
 * views, on the data of a recorded recovery (the installation guide's job: a segfault, a requeue, a
 * second segfault, the limit), plus a GPU failure of another job on the same node.
 */
class KpiDashboardTest {

  private static final Instant T0 = KpiFixture.T0;

  private final String name = TestDatabases.newName();
  private Database db;
  private SqlRecoveryStore store;

  @BeforeEach
  void seedARecordedRecovery() {
    String url = TestDatabases.createMariaDb(name);
    db = Database.open(new Database.Settings(url, "root", "", 2, true));
    store = new SqlRecoveryStore(db, Clock.fixed(T0, ZoneOffset.UTC));
    KpiFixture.seed(db, store);
  }

  @AfterEach
  void drop() {
    db.close();
    TestDatabases.dropMariaDb(name);
  }

  private static Map<String, String> panelQueries() throws Exception {
    JsonNode dashboard =
        new ObjectMapper().readTree(Path.of("..", "grafana", "ajr-kpis.json").toFile());
    Map<String, String> queries = new LinkedHashMap<>();
    for (JsonNode panel : dashboard.get("panels")) {
      queries.put(panel.get("title").asText(), panel.at("/targets/0/rawSql").asText());
    }
    return queries;
  }

  private List<List<String>> run(String sql) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(TestDatabases.MARIADB_SERVER + name, "root", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      int columns = r.getMetaData().getColumnCount();
      while (r.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(r.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static double number(List<List<String>> rows) {
    return Double.parseDouble(rows.get(0).get(0));
  }

  @Test
  void everyDashboardQueryRunsAndGivesTheExpectedNumbers() throws Exception {
    Map<String, String> q = panelQueries();
    assertThat(q).hasSize(12);

    assertThat(number(run(q.get("Recoveries (restarts done)")))).isEqualTo(2);
    assertThat(number(run(q.get("Mean time to detect")))).isEqualTo((100 + 150 + 200) / 3.0);
    assertThat(number(run(q.get("Mean fault line to attempt ended"))))
        .isEqualTo((300 + 400 + 500) / 3.0);
    assertThat(number(run(q.get("Mean attempt ended to next attempt"))))
        .isEqualTo((2_000 + 3_000) / 2.0);
    assertThat(run(q.get("Requeues by cause")))
        .containsExactly(List.of("CRASH_SEGFAULT", "1"), List.of("GPU_HARDWARE", "1"));
    assertThat(run(q.get("Nodes by failures (lemons)")))
        .containsExactly(List.of("node1", "2", "3"));
    List<List<String>> jobs = run(q.get("Jobs with recoveries"));
    assertThat(jobs).extracting(r -> r.get(0)).containsExactly("25", "24");
    assertThat(jobs.get(1).subList(4, 6))
        .as("job 24: two attempts, one recovery")
        .containsExactly("2", "1");
    assertThat(run(q.get("Recent recoveries"))).hasSize(3);

    // job 24, attempt 0: lost 10 s of work, detection 100 ms, shutdown 200 ms, waiting 2 s,
    // restart 5 s: 17.3 s from checkpoint saved to checkpoint loaded
    assertThat(run(q.get("Downtime per interruption")))
        .contains(
            List.of(
                "1", "24", "0", "CRASH_SEGFAULT", "10000", "100", "200", "2000", "5000", "17300"));
    assertThat(number(run(q.get("Mean downtime per interruption")))).isEqualTo(17_300);
    // run time: job 24 30.3 s + 58.1 s, job 25 30.5 s + 30 s; lost: job 24 10 s + 5 s
    double run = 30_300 + 58_100 + 30_500 + 30_000;
    // job 24 (8 GPUs): 10 s + 100 ms + 200 ms + 5 s; job 25 (4 GPUs): 200 ms + 300 ms
    assertThat(number(run(q.get("GPU-hours lost to failures"))))
        .isCloseTo((15_300 * 8 + 500 * 4) / 3_600_000.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(number(run(q.get("Goodput"))))
        .isCloseTo((run - 15_000) / run, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void theViewsAreThereOnEveryDatabase() {
    for (String view :
        List.of("kpi_recoveries", "kpi_requeues_by_cause", "kpi_node_failures", "kpi_jobs")) {
      assertThat(db.query("SELECT COUNT(*) AS n FROM " + view, r -> r.getInt("n")))
          .as(view)
          .singleElement()
          .satisfies(n -> assertThat(n).isPositive());
    }
  }
}
