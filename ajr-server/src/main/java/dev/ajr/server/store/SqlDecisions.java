package dev.ajr.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ajr.core.json.Json;
import dev.ajr.core.policy.ActionKind;
import dev.ajr.core.policy.Operation;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.ActionState;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.recovery.DecisionState;
import dev.ajr.core.store.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The decisions and actions tables of {@link SqlRecoveryStore}: a decision with its actions, their
 * outcomes (never taken back once final), the predecessor in a singleton chain and the cluster's
 * restarts. A decision's reasons are stored as a JSON array. Thread-safe (the database serializes).
 */
final class SqlDecisions {

  private static final ObjectMapper JSON = Json.MAPPER;

  private final Database db;

  SqlDecisions(Database db) {
    this.db = db;
  }

  /** Inserts the decision and its actions in one transaction (joining the thread's, if any). */
  Decision addDecision(Decision d, List<Action> actions) {
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

  void saveDecision(Decision d) {
    db.update(
        "UPDATE decisions SET state = ?, finished_at = ? WHERE id = ?"
            + " AND state NOT IN ('DONE', 'FAILED')",
        d.state(),
        d.finishedAt(),
        d.id());
  }

  void saveAction(Action a) {
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

  Optional<Decision> decision(long decisionId) {
    return db.queryOne(
        "SELECT * FROM decisions WHERE id = ?", SqlDecisions::toDecision, decisionId);
  }

  Optional<Decision> decisionFor(long jobId, int attemptIndex) {
    return db.queryOne(
        "SELECT * FROM decisions WHERE job_id = ? AND attempt_index = ?",
        SqlDecisions::toDecision,
        jobId,
        attemptIndex);
  }

  List<Decision> decisions(long jobId) {
    return db.query(
        "SELECT * FROM decisions WHERE job_id = ? ORDER BY id", SqlDecisions::toDecision, jobId);
  }

  List<Action> actions(long decisionId) {
    return db.query(
        "SELECT * FROM actions WHERE decision_id = ? ORDER BY seq",
        SqlDecisions::toAction,
        decisionId);
  }

  List<Decision> unfinishedDecisions() {
    return db.query(
        "SELECT * FROM decisions WHERE state IN ('PLANNED', 'IN_PROGRESS') ORDER BY id",
        SqlDecisions::toDecision);
  }

  Optional<Long> predecessorOf(long successorJobId) {
    return db.queryOne(
        "SELECT d.job_id FROM decisions d JOIN actions a ON a.decision_id = d.id"
            + " WHERE a.kind = 'RELEASE' AND a.target_job_id = ? AND d.job_id <> ?"
            + " AND d.state <> 'FAILED' ORDER BY d.id LIMIT 1",
        r -> r.getLong("job_id"),
        successorJobId,
        successorJobId);
  }

  int restartsSince(Instant since) {
    return db.queryOne(
            "SELECT COUNT(*) AS n FROM decisions d WHERE d.operation IN ('RESTART', 'RELEASE')"
                + " AND d.state <> 'FAILED' AND d.created_at >= ? AND EXISTS (SELECT 1 FROM"
                + " actions a WHERE a.decision_id = d.id AND a.state <> 'SKIPPED')",
            r -> r.getInt("n"),
            since)
        .orElse(0);
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

  private static Action toAction(ResultSet r) throws SQLException {
    return new Action(
        r.getLong("id"),
        r.getLong("decision_id"),
        r.getInt("seq"),
        ActionKind.valueOf(r.getString("kind")),
        r.getLong("target_job_id"),
        SqlJobs.splitNodes(r.getString("nodes")),
        ActionState.valueOf(r.getString("state")),
        r.getInt("tries"),
        r.getString("outcome"),
        Database.instant(r, "started_at"),
        Database.instant(r, "finished_at"));
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
