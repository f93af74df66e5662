package dev.ajr.server.store;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.AnomalyType;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.Excerpt;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.detect.RecoveryAction;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The anomalies table of {@link SqlRecoveryStore}: anomalies, one per (job, attempt, source, line
 * number), and the log excerpt kept on each. Thread-safe (the database serializes).
 */
final class SqlAnomalies {

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

  SqlAnomalies(Database db) {
    this.db = db;
  }

  /** Stores the anomaly, its source cut to {@link #MAX_SOURCE}; empty when already stored. */
  Optional<Anomaly> addAnomaly(Anomaly a) {
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
        SqlAnomalies::toAnomaly,
        a.jobId(),
        a.attemptIndex(),
        source,
        a.lineNumber());
  }

  List<Anomaly> anomaliesAfter(long afterId, int limit) {
    return db.query(
        "SELECT * FROM anomalies WHERE id > ? ORDER BY id LIMIT " + Math.max(1, limit),
        SqlAnomalies::toAnomaly,
        afterId);
  }

  List<Anomaly> anomalies(long jobId) {
    return db.query(
        "SELECT * FROM anomalies WHERE job_id = ? ORDER BY id", SqlAnomalies::toAnomaly, jobId);
  }

  /** Reads, merges and writes the excerpt in one transaction (joining the thread's, if any). */
  void appendExcerpt(long anomalyId, List<ExcerptLine> lines) {
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

  Map<Long, List<ExcerptLine>> excerpts(long jobId) {
    Map<Long, List<ExcerptLine>> byAnomaly = new LinkedHashMap<>();
    db.query(
            "SELECT id, excerpt FROM anomalies WHERE job_id = ? AND excerpt IS NOT NULL ORDER BY id",
            r -> Map.entry(r.getLong("id"), ExcerptJson.read(r.getString("excerpt"))),
            jobId)
        .forEach(e -> byAnomaly.put(e.getKey(), e.getValue()));
    return byAnomaly;
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
}
