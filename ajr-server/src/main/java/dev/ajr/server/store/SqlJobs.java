package dev.ajr.server.store;

import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.Directive;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.progress.AttemptProgress;
import dev.ajr.core.store.JobQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The jobs and attempts tables of {@link SqlRecoveryStore}: jobs with their directive, attempts,
 * the progress each attempt showed, and the pruning of finished jobs with everything stored about
 * them. Thread-safe (the database serializes).
 */
final class SqlJobs {

  static final List<String> JOB_COLUMNS =
      List.of(
          "job_id",
          "name",
          "user_name",
          "partition_name",
          "work_dir",
          "std_out",
          "std_err",
          "comment",
          "directive_status",
          "resume_mode",
          "max_requeue_times",
          "directive_problem",
          "status",
          "status_reason",
          "submit_time",
          "first_seen",
          "updated_at",
          "gpus");
  static final List<String> ATTEMPT_COLUMNS =
      List.of(
          "job_id",
          "attempt_index",
          "state",
          "nodes",
          "start_time",
          "end_time",
          "exit_code",
          "end_reason");

  private final Database db;
  private final Clock clock;

  SqlJobs(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  Optional<Job> job(long jobId) {
    return db.queryOne("SELECT * FROM jobs WHERE job_id = ?", SqlJobs::toJob, jobId);
  }

  /** Inserts the job or replaces the stored one; {@code updated_at} is now by the clock. */
  void saveJob(Job job) {
    String status;
    String mode = null;
    Integer max = null;
    String problem = null;
    switch (job.directive()) {
      case DirectiveResult.Absent a -> status = "ABSENT";
      case DirectiveResult.Valid v -> {
        status = "VALID";
        mode = v.directive().mode().directiveValue();
        max =
            v.directive().maxRequeueTimes().isPresent()
                ? v.directive().maxRequeueTimes().getAsInt()
                : null;
      }
      case DirectiveResult.Invalid i -> {
        status = "INVALID";
        problem = i.problem();
      }
    }
    db.update(
        db.dialect()
            .upsert(
                "jobs",
                List.of("job_id"),
                JOB_COLUMNS,
                JOB_COLUMNS.subList(1, JOB_COLUMNS.size()).stream()
                    .filter(c -> !c.equals("first_seen"))
                    .toList()),
        job.jobId(),
        job.name(),
        job.user(),
        job.partition(),
        job.workDir(),
        job.stdOut(),
        job.stdErr(),
        job.comment(),
        status,
        mode,
        max,
        problem,
        job.status(),
        job.statusReason(),
        job.submitTime(),
        job.firstSeen(),
        clock.instant(),
        job.gpus());
  }

  List<Job> jobs(JobQuery query) {
    List<Object> params = new ArrayList<>();
    String where = where(query, params);
    params.add(query.limit());
    params.add(query.offset());
    return db.query(
        "SELECT * FROM jobs" + where + " ORDER BY job_id DESC LIMIT ? OFFSET ?",
        SqlJobs::toJob,
        params.toArray());
  }

  int countJobs(JobQuery query) {
    List<Object> params = new ArrayList<>();
    String where = where(query, params);
    return db.queryOne(
            "SELECT COUNT(*) AS n FROM jobs" + where, r -> r.getInt("n"), params.toArray())
        .orElse(0);
  }

  private static String where(JobQuery query, List<Object> params) {
    List<String> clauses = new ArrayList<>();
    if (query.user() != null) {
      clauses.add("user_name = ?");
      params.add(query.user());
    }
    if (query.status() != null) {
      clauses.add("status = ?");
      params.add(query.status().name());
    }
    return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
  }

  List<Long> activeJobIds() {
    return db.query(
        "SELECT job_id FROM jobs WHERE status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED',"
            + " 'STOPPED', 'LOST') ORDER BY job_id",
        r -> r.getLong("job_id"));
  }

  List<Attempt> attempts(long jobId) {
    return db.query(
        "SELECT * FROM attempts WHERE job_id = ? ORDER BY attempt_index",
        SqlJobs::toAttempt,
        jobId);
  }

  void saveAttempt(Attempt a) {
    db.update(
        db.dialect()
            .upsert(
                "attempts",
                List.of("job_id", "attempt_index"),
                ATTEMPT_COLUMNS,
                ATTEMPT_COLUMNS.subList(2, ATTEMPT_COLUMNS.size())),
        a.jobId(),
        a.index(),
        a.state(),
        String.join(",", a.nodes()),
        a.startTime(),
        a.endTime(),
        a.exitCode(),
        a.endReason());
  }

  List<AttemptProgress> progress(long jobId) {
    return db.query(
        "SELECT attempt_index,"
            + " SUM(CASE WHEN kind = 'CHECKPOINT_SAVED' THEN 1 ELSE 0 END) AS saved,"
            + " MAX(CASE WHEN kind = 'CHECKPOINT_SAVED' THEN iteration ELSE -1 END) AS checkpoint,"
            + " MAX(CASE WHEN kind = 'ITERATION' THEN iteration ELSE -1 END) AS iteration"
            + " FROM progress_marks WHERE job_id = ? AND kind IN ('CHECKPOINT_SAVED', 'ITERATION')"
            + " GROUP BY attempt_index ORDER BY attempt_index",
        r ->
            new AttemptProgress(
                r.getInt("attempt_index"),
                r.getInt("saved"),
                r.getLong("checkpoint"),
                r.getLong("iteration")),
        jobId);
  }

  /** As {@link SqlRecoveryStore#pruneFinishedJobs}: one short transaction per call. */
  int pruneFinishedJobs(Instant cutoff, int batch) {
    List<Long> ids =
        db.query(
            "SELECT job_id FROM jobs WHERE status IN ('COMPLETED', 'FAILED', 'CANCELLED',"
                + " 'STOPPED', 'LOST') AND updated_at < ? ORDER BY job_id LIMIT ?",
            r -> r.getLong("job_id"),
            cutoff,
            batch);
    if (ids.isEmpty()) {
      return 0;
    }
    String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
    Object[] params = ids.toArray();
    db.inTransaction(c -> {
      for (String sql :
          List.of(
              "DELETE FROM actions WHERE decision_id IN (SELECT id FROM decisions WHERE job_id"
                  + " IN ("
                  + in
                  + "))",
              "DELETE FROM decisions WHERE job_id IN (" + in + ")",
              "DELETE FROM anomalies WHERE job_id IN (" + in + ")",
              "DELETE FROM attempts WHERE job_id IN (" + in + ")",
              "DELETE FROM log_offsets WHERE job_id IN (" + in + ")",
              "DELETE FROM progress_marks WHERE job_id IN (" + in + ")",
              "DELETE FROM jobs WHERE job_id IN (" + in + ")")) {
        try (var ps = c.prepareStatement(sql)) {
          Database.bind(ps, params);
          ps.executeUpdate();
        }
      }
      return null;
    });
    return ids.size();
  }

  static Job toJob(ResultSet r) throws SQLException {
    DirectiveResult directive =
        switch (r.getString("directive_status")) {
          case "VALID" -> {
            Integer max = Database.integer(r, "max_requeue_times");
            yield new DirectiveResult.Valid(
                new Directive(
                    AutoResumeMode.fromDirectiveValue(r.getString("resume_mode")).orElseThrow(),
                    max == null ? OptionalInt.empty() : OptionalInt.of(max)));
          }
          case "INVALID" -> new DirectiveResult.Invalid(r.getString("directive_problem"));
          default -> DirectiveResult.ABSENT;
        };
    return new Job(
        r.getLong("job_id"),
        r.getString("name"),
        r.getString("user_name"),
        r.getString("partition_name"),
        r.getString("work_dir"),
        r.getString("std_out"),
        r.getString("std_err"),
        r.getString("comment"),
        directive,
        JobStatus.valueOf(r.getString("status")),
        r.getString("status_reason"),
        Database.instant(r, "submit_time"),
        Database.instant(r, "first_seen"),
        r.getInt("gpus"));
  }

  static Attempt toAttempt(ResultSet r) throws SQLException {
    return new Attempt(
        r.getLong("job_id"),
        r.getInt("attempt_index"),
        AttemptState.valueOf(r.getString("state")),
        splitNodes(r.getString("nodes")),
        Database.instant(r, "start_time"),
        Database.instant(r, "end_time"),
        Database.integer(r, "exit_code"),
        r.getString("end_reason"));
  }

  /** A comma-separated node list as stored for attempts and actions; empty for null or "". */
  static List<String> splitNodes(String nodes) {
    return nodes == null || nodes.isEmpty() ? List.of() : Arrays.asList(nodes.split(","));
  }
}
