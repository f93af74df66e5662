package dev.ajr.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration that stores whether an anomaly is charged to the job's budget: anomalies recorded
 * before it are charged, except those of the two rules that are not the job's fault.
 */
class ChargedMigrationTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void preemptionAndNodeFailureRecordedBeforeTheColumnAreNotCharged(@TempDir Path dir) {
    String url = "jdbc:sqlite:" + dir.resolve("ajr.db").toAbsolutePath();
    Flyway.configure()
        .dataSource(url, null, null)
        .locations(Dialect.SQLITE.migrationLocations())
        .target("24")
        .load()
        .migrate();
    try (Database before = Database.open(new Database.Settings(url, null, null, 1, false))) {
      new SqlRecoveryStore(before, Clock.fixed(T0, ZoneOffset.UTC)).saveJob(job(24));
      long line = 0;
      for (String rule : List.of("slurm.preempted", "slurm.node-failure", "crash.segfault")) {
        before.update(
            "INSERT INTO anomalies (job_id, attempt_index, type, cause, rule_id, action, line,"
                + " source, line_number, node, line_read_at, detected_at, evidence)"
                + " VALUES (24, 0, 'CRASH', 'SLURM_SCHEDULER', ?, 'REQUEUE', 'a line',"
                + " '/run/slurm-24.out', ?, 'node07', 0, 0, 'JOB_OUTPUT')",
            rule,
            ++line);
      }
    }

    try (Database migrated = Database.openSqlite(dir)) {
      List<Anomaly> anomalies =
          new SqlRecoveryStore(migrated, Clock.fixed(T0, ZoneOffset.UTC)).anomalies(24);

      assertThat(anomalies)
          .extracting(Anomaly::ruleId, Anomaly::charged)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("slurm.preempted", false),
              org.assertj.core.groups.Tuple.tuple("slurm.node-failure", false),
              org.assertj.core.groups.Tuple.tuple("crash.segfault", true));
    }
  }

  private static Job job(long id) {
    return new Job(
        id,
        "train",
        "alice",
        "gpu",
        "/home/alice/run",
        "/home/alice/run/slurm-" + id + ".out",
        "",
        "",
        DirectiveResult.ABSENT,
        JobStatus.RUNNING,
        "",
        T0,
        T0);
  }
}
