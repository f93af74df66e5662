package dev.ajr.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.Excerpt;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.detect.RecoveryAction;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.AttemptState;
import dev.ajr.core.job.AutoResumeMode;
import dev.ajr.core.job.Directive;
import dev.ajr.core.job.DirectiveResult;
import dev.ajr.core.job.Job;
import dev.ajr.core.job.JobStatus;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.progress.AttemptProgress;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.core.store.JobQuery;
import dev.ajr.core.store.RecoveryStore;
import dev.ajr.core.store.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** {@link RecoveryStore} in SQL over a {@link Database}. Thread-safe (the database serializes). */
public final class SqlRecoveryStore implements RecoveryStore {

  private static final ObjectMapper JSON = new ObjectMapper();

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
  static final List<String> ANOMALY_COLUMNS =
      List.of(
          "job_id",
          "attempt_index",
          "type",
          "cause",
          "rule_id",
          "action",
          "line",
          "source",
          "line_number",
          "node",
          "line_written_at",
          "line_read_at",
          "detected_at",
          "evidence",
          "charged");

  /** Longest source path kept (it is part of a unique key, which MariaDB bounds). */
  static final int MAX_SOURCE = 512;

  private final Database db;
  private final Clock clock;

  public SqlRecoveryStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Optional<Job> job(long jobId) {
    return db.queryOne("SELECT * FROM jobs WHERE job_id = ?", SqlRecoveryStore::toJob, jobId);
  }

  @Override
  public void saveJob(Job job) {
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

  @Override
  public List<Job> jobs(JobQuery query) {
    List<Object> params = new ArrayList<>();
    String where = where(query, params);
    params.add(query.limit());
    params.add(query.offset());
    return db.query(
        "SELECT * FROM jobs" + where + " ORDER BY job_id DESC LIMIT ? OFFSET ?",
        SqlRecoveryStore::toJob,
        params.toArray());
  }

  @Override
  public int countJobs(JobQuery query) {
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

  @Override
  public List<Long> activeJobIds() {
    return db.query(
        "SELECT job_id FROM jobs WHERE status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED',"
            + " 'STOPPED', 'LOST') ORDER BY job_id",
        r -> r.getLong("job_id"));
  }

  @Override
  public List<Attempt> attempts(long jobId) {
    return db.query(
        "SELECT * FROM attempts WHERE job_id = ? ORDER BY attempt_index",
        SqlRecoveryStore::toAttempt,
        jobId);
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

  @Override
  public void saveAttempt(Attempt a) {
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

  @Override
  public Optional<Anomaly> addAnomaly(Anomaly a) {
    String source =
        a.source().length() > MAX_SOURCE ? a.source().substring(0, MAX_SOURCE) : a.source();
    int inserted =
        db.update(
            db.dialect()
                .insertIgnore(
                    "anomalies",
                    List.of("job_id", "attempt_index", "source", "line_number"),
                    ANOMALY_COLUMNS),
            a.jobId(),
            a.attemptIndex(),
            a.type(),
            a.cause(),
            a.ruleId(),
            a.action(),
            a.line(),
            source,
            a.lineNumber(),
            a.node(),
            a.lineWrittenAt(),
            a.lineReadAt(),
            a.detectedAt(),
            a.evidence(),
            a.charged());
    if (inserted == 0) {
      return Optional.empty();
    }
    return db.queryOne(
        "SELECT * FROM anomalies WHERE job_id = ? AND attempt_index = ? AND source = ?"
            + " AND line_number = ?",
        SqlRecoveryStore::toAnomaly,
        a.jobId(),
        a.attemptIndex(),
        source,
        a.lineNumber());
  }

  @Override
  public void atomically(Runnable work) {
    db.atomically(() -> {
      work.run();
      return null;
    });
  }

  @Override
  public List<Anomaly> anomaliesAfter(long afterId, int limit) {
    return db.query(
        "SELECT * FROM anomalies WHERE id > ? ORDER BY id LIMIT " + Math.max(1, limit),
        SqlRecoveryStore::toAnomaly,
        afterId);
  }

  @Override
  public void appendExcerpt(long anomalyId, List<ExcerptLine> lines) {
    if (lines.isEmpty()) {
      return;
    }
    db.atomically(() -> {
      List<String> stored =
          db.query(
              "SELECT excerpt FROM anomalies WHERE id = ?", r -> r.getString("excerpt"), anomalyId);
      if (stored.isEmpty()) {
        return null;
      }
      List<ExcerptLine> merged = Excerpt.merge(ExcerptJson.read(stored.get(0)), lines);
      db.update(
          "UPDATE anomalies SET excerpt = ? WHERE id = ?", ExcerptJson.write(merged), anomalyId);
      return null;
    });
  }

  @Override
  public Map<Long, List<ExcerptLine>> excerpts(long jobId) {
    Map<Long, List<ExcerptLine>> byAnomaly = new LinkedHashMap<>();
    db.query(
            "SELECT id, excerpt FROM anomalies WHERE job_id = ? AND excerpt IS NOT NULL ORDER BY id",
            r -> Map.entry(r.getLong("id"), ExcerptJson.read(r.getString("excerpt"))),
            jobId)
        .forEach(e -> byAnomaly.put(e.getKey(), e.getValue()));
    return byAnomaly;
  }

  @Override
  public List<Anomaly> anomalies(long jobId) {
    return db.query(
        "SELECT * FROM anomalies WHERE job_id = ? ORDER BY id", SqlRecoveryStore::toAnomaly, jobId);
  }

  @Override
  public Decision addDecision(Decision d, List<Action> actions) {
    return db.inTransaction(c -> {
      long id =
          Database.insert(
              c,
              "INSERT INTO decisions (job_id, attempt_index, operation, reasons, anomaly_id,"
                  + " state, stops_job, stop_reason, created_at, finished_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              d.jobId(),
              d.attemptIndex(),
              d.operation(),
              toJson(d.reasons()),
              d.anomalyId(),
              d.state(),
              d.stopsJob(),
              d.stopReason(),
              d.createdAt(),
              d.finishedAt());
      for (Action a : actions) {
        Database.insert(
            c,
            "INSERT INTO actions (decision_id, seq, kind, target_job_id, nodes, state, tries,"
                + " outcome, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            id,
            a.seq(),
            a.kind(),
            a.targetJobId(),
            String.join(",", a.nodes()),
            a.state(),
            a.tries(),
            a.outcome(),
            a.startedAt(),
            a.finishedAt());
      }
      return d.withId(id);
    });
  }

  @Override
  public void saveDecision(Decision d) {
    db.update(
        "UPDATE decisions SET state = ?, finished_at = ? WHERE id = ?"
            + " AND state NOT IN ('DONE', 'FAILED')",
        d.state(),
        d.finishedAt(),
        d.id());
  }

  @Override
  public void saveAction(Action a) {
    db.update(
        "UPDATE actions SET state = ?, tries = ?, outcome = ?, started_at = ?, finished_at = ?"
            + " WHERE id = ? AND state NOT IN ('VERIFIED', 'FAILED', 'SKIPPED')",
        a.state(),
        a.tries(),
        a.outcome(),
        a.startedAt(),
        a.finishedAt(),
        a.id());
  }

  @Override
  public Optional<Decision> decision(long decisionId) {
    return db.queryOne(
        "SELECT * FROM decisions WHERE id = ?", SqlRecoveryStore::toDecision, decisionId);
  }

  @Override
  public Optional<Decision> decisionFor(long jobId, int attemptIndex) {
    return db.queryOne(
        "SELECT * FROM decisions WHERE job_id = ? AND attempt_index = ?",
        SqlRecoveryStore::toDecision,
        jobId,
        attemptIndex);
  }

  @Override
  public List<Decision> decisions(long jobId) {
    return db.query(
        "SELECT * FROM decisions WHERE job_id = ? ORDER BY id",
        SqlRecoveryStore::toDecision,
        jobId);
  }

  @Override
  public List<Action> actions(long decisionId) {
    return db.query(
        "SELECT * FROM actions WHERE decision_id = ? ORDER BY seq",
        r ->
            new Action(
                r.getLong("id"),
                r.getLong("decision_id"),
                r.getInt("seq"),
                ActionKind.valueOf(r.getString("kind")),
                r.getLong("target_job_id"),
                splitNodes(r.getString("nodes")),
                ActionState.valueOf(r.getString("state")),
                r.getInt("tries"),
                r.getString("outcome"),
                Database.instant(r, "started_at"),
                Database.instant(r, "finished_at")),
        decisionId);
  }

  @Override
  public List<Decision> unfinishedDecisions() {
    return db.query(
        "SELECT * FROM decisions WHERE state IN ('PLANNED', 'IN_PROGRESS') ORDER BY id",
        SqlRecoveryStore::toDecision);
  }

  /**
   * Deletes up to {@code batch} finished jobs last updated before {@code cutoff}, with their
   * attempts, anomalies (the log excerpts), decisions, actions and saved log positions, in one
   * short transaction. Returns how many jobs were deleted; call again until it returns less than
   * {@code batch}, so the service is never blocked for long.
   */
  public int pruneFinishedJobs(java.time.Instant cutoff, int batch) {
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
    String in = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
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

  @Override
  public Optional<Long> predecessorOf(long successorJobId) {
    return db.queryOne(
        "SELECT d.job_id FROM decisions d JOIN actions a ON a.decision_id = d.id"
            + " WHERE a.kind = 'RELEASE' AND a.target_job_id = ? AND d.job_id <> ?"
            + " AND d.state <> 'FAILED' ORDER BY d.id LIMIT 1",
        r -> r.getLong("job_id"),
        successorJobId,
        successorJobId);
  }

  @Override
  public List<AttemptProgress> progress(long jobId) {
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

  @Override
  public int restartsSince(Instant since) {
    return db.queryOne(
            "SELECT COUNT(*) AS n FROM decisions d WHERE d.operation IN ('RESTART', 'RELEASE')"
                + " AND d.state <> 'FAILED' AND d.created_at >= ? AND EXISTS (SELECT 1 FROM"
                + " actions a WHERE a.decision_id = d.id AND a.state <> 'SKIPPED')",
            r -> r.getInt("n"),
            since)
        .orElse(0);
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

  static Anomaly toAnomaly(ResultSet r) throws SQLException {
    return new Anomaly(
        r.getLong("id"),
        r.getLong("job_id"),
        r.getInt("attempt_index"),
        AnomalyType.valueOf(r.getString("type")),
        Cause.valueOf(r.getString("cause")),
        r.getString("rule_id"),
        RecoveryAction.valueOf(r.getString("action")),
        r.getString("line"),
        r.getString("source"),
        r.getLong("line_number"),
        r.getString("node"),
        Database.instant(r, "line_written_at"),
        Database.instant(r, "line_read_at"),
        Database.instant(r, "detected_at"),
        Evidence.valueOf(r.getString("evidence")),
        r.getInt("charged") != 0);
  }

  static Decision toDecision(ResultSet r) throws SQLException {
    return new Decision(
        r.getLong("id"),
        r.getLong("job_id"),
        r.getInt("attempt_index"),
        Operation.valueOf(r.getString("operation")),
        fromJson(r.getString("reasons")),
        r.getLong("anomaly_id"),
        DecisionState.valueOf(r.getString("state")),
        r.getInt("stops_job") != 0,
        r.getString("stop_reason"),
        Database.instant(r, "created_at"),
        Database.instant(r, "finished_at"));
  }

  private static List<String> splitNodes(String nodes) {
    return nodes == null || nodes.isEmpty() ? List.of() : Arrays.asList(nodes.split(","));
  }

  private static String toJson(List<String> reasons) {
    try {
      return JSON.writeValueAsString(reasons);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot write reasons as JSON", e);
    }
  }

  private static List<String> fromJson(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new StoreException("stored reasons are not a JSON array: " + json, e);
    }
  }
}
