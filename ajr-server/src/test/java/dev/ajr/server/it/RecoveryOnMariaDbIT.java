package dev.ajr.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The end-to-end scenarios with the server on MariaDB (127.0.0.1:3306), as production runs. */
class RecoveryOnMariaDbIT extends RecoveryOnSlurmContract {

  private static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String NAME =
      "ajr_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @BeforeAll
  static void start() throws Exception {
    execute("CREATE DATABASE " + NAME + " CHARACTER SET utf8mb4");
    startServerAndSubmitJobs(
        Map.of("database.url", SERVER + NAME, "database.user", "root", "database.pool-size", "4"));
  }

  @AfterAll
  static void dropDatabase() {
    execute("DROP DATABASE IF EXISTS " + NAME);
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(SERVER, "root", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      fail(
          "MariaDB at 127.0.0.1:3306 is not available ("
              + e.getMessage()
              + "); start it with"
              + " start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd");
    }
  }

  /**
   * The KPI dashboard on the data of this recorded recovery: every query of grafana/ajr-kpis.json
   * runs, and the verification job's row says what the API says.
   */
  @Test
  void theKpiDashboardReadsTheRecordedRecovery() throws Exception {
    JsonNode job =
        api.await(
            "/api/v1/jobs/" + verificationJob,
            PATIENCE,
            "the verification job to be stopped",
            j -> "STOPPED".equals(j.at("/job/status").asText()));
    JsonNode dashboard =
        new ObjectMapper().readTree(Path.of("..", "grafana", "ajr-kpis.json").toFile());
    try (Connection c = DriverManager.getConnection(SERVER + NAME, "root", "");
        Statement s = c.createStatement()) {
      for (JsonNode panel : dashboard.get("panels")) {
        try (ResultSet r = s.executeQuery(panel.at("/targets/0/rawSql").asText())) {
          assertThat(r.next()).as(panel.get("title").asText()).isTrue();
        }
      }
      JsonNode anomaly = job.at("/anomalies/0");
      long detectMs =
          Instant.parse(anomaly.get("detectedAt").asText()).toEpochMilli()
              - Instant.parse(anomaly.get("lineWrittenAt").asText()).toEpochMilli();
      try (ResultSet r =
          s.executeQuery(
              "SELECT operation, cause, detect_ms, fault_to_end_ms FROM kpi_recoveries WHERE"
                  + " job_id = "
                  + verificationJob
                  + " ORDER BY attempt_index")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString("operation")).isEqualTo("RESTART");
        assertThat(r.getString("cause")).isEqualTo("CRASH_SEGFAULT");
        assertThat(r.getLong("detect_ms")).isEqualTo(detectMs);
        assertThat(r.getLong("fault_to_end_ms")).isPositive();
        assertThat(r.next()).isTrue();
        assertThat(r.getString("operation")).isEqualTo("STOP");
      }
      try (ResultSet r =
          s.executeQuery(
              "SELECT attempts, recoveries FROM kpi_jobs WHERE job_id = " + verificationJob)) {
        assertThat(r.next()).isTrue();
        assertThat(r.getInt("attempts")).isEqualTo(2);
        assertThat(r.getInt("recoveries")).isEqualTo(1);
      }
    }
  }
}
