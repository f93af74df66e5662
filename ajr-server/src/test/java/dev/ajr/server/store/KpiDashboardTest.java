package dev.ajr.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.progress.ProgressEvent;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
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

  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  private final String name = TestDatabases.newName();
  private Database db;
  private SqlRecoveryStore store;

  @BeforeEach
  void seedARecordedRecovery() {
    String url = TestDatabases.createMariaDb(name);
    db = Database.open(new Database.Settings(url, "root", "", 2, true));
    store = new SqlRecoveryStore(db, Clock.fixed(T0, ZoneOffset.UTC));
    recovery(24, Cause.CRASH_SEGFAULT, "node1", 0, Operation.RESTART, 100, 300, 2_000);
    recovery(24, Cause.CRASH_SEGFAULT, "node1", 1, Operation.STOP, 150, 400, -1);
    recovery(25, Cause.GPU_HARDWARE, "node1", 0, Operation.RESTART, 200, 500, 3_000);
    store.saveJob(store.job(24).orElseThrow().withGpus(8));
    store.saveJob(store.job(25).orElseThrow().withGpus(4));
    // Job 24 saved a checkpoint 10 s before its fault and loaded it 5 s into attempt 1; job 25
    // printed no checkpoint lines.
    Instant fault = T0.plusSeconds(100L * 24);
    SqlProgressMarks marks = new SqlProgressMarks(db);
    marks.record(24, 0, checkpoint(ProgressEvent.Kind.CHECKPOINT_SAVED), fault.minusSeconds(30));
    marks.record(24, 0, checkpoint(ProgressEvent.Kind.CHECKPOINT_SAVED), fault.minusSeconds(10));
    marks.record(
        24, 1, checkpoint(ProgressEvent.Kind.CHECKPOINT_LOADED), fault.plusMillis(2_300 + 5_000));
  }

  private static ProgressEvent checkpoint(ProgressEvent.Kind kind) {
    return new ProgressEvent(kind, 100, Double.NaN, -1);
  }

  @AfterEach
  void drop() {
    db.close();
    TestDatabases.dropMariaDb(name);
  }

  /**
   * Records one attempt's failure as ajr would: the attempt, its anomaly (line written at t,
   * detected detectMs later), the decision and its first action verified endMs after the line.
   */
  private void recovery(
      long jobId,
      Cause cause,
      String node,
      int attempt,
      Operation op,
      long detectMs,
      long endMs,
      long restartMs) {
    Instant t = T0.plusSeconds(100L * jobId + 60L * attempt);
    if (store.job(jobId).isEmpty()) {
      store.saveJob(
          new Job(
              jobId,
              "train",
              "alice",
              "debug",
              "/w",
              "/w/out",
              "",
              "",
              DirectiveResult.ABSENT,
              JobStatus.STOPPED,
              "",
              T0,
              T0));
    }
    store.saveAttempt(
        new Attempt(
            jobId,
            attempt,
            AttemptState.KILLED,
            List.of(node),
            store.attempts(jobId).stream() // keep the start recorded by the previous recovery
                .filter(x -> x.index() == attempt)
                .map(Attempt::startTime)
                .findFirst()
                .orElse(t.minusSeconds(30)),
            t.plusMillis(endMs),
            null,
            "killed"));
    if (restartMs >= 0) {
      store.saveAttempt(
          new Attempt(
              jobId,
              attempt + 1,
              AttemptState.COMPLETED,
              List.of(node),
              t.plusMillis(endMs + restartMs),
              t.plusMillis(endMs + restartMs + 30_000),
              0,
              ""));
    }
    Anomaly a =
        store
            .addAnomaly(
                new Anomaly(
                    0,
                    jobId,
                    attempt,
                    AnomalyType.CRASH,
                    cause,
                    "rule",
                    RecoveryAction.REQUEUE,
                    "line",
                    "/w/out",
                    attempt + 1,
                    node,
                    t,
                    t.plusMillis(detectMs),
                    t.plusMillis(detectMs),
                    Evidence.JOB_OUTPUT))
            .orElseThrow();
    ActionKind first = op == Operation.RESTART ? ActionKind.REQUEUE_HOLD : ActionKind.CANCEL;
    store.addDecision(
        new Decision(
            0,
            jobId,
            attempt,
            op,
            List.of("why"),
            a.id(),
            DecisionState.DONE,
            op == Operation.STOP,
            "",
            t.plusMillis(detectMs),
            t.plusMillis(endMs)),
        List.of(
            new Action(
                0,
                0,
                0,
                first,
                jobId,
                List.of(),
                ActionState.VERIFIED,
                1,
                "verified",
                t.plusMillis(detectMs),
                t.plusMillis(endMs))));
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
