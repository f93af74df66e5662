package dev.ajr.server.store;

import dev.ajr.core.node.NodeEvent;
import dev.ajr.core.node.NodeHealth;
import dev.ajr.core.node.NodeRecord;
import dev.ajr.core.node.NodeStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link NodeStore} in the {@code nodes} and {@code node_events} tables. Thread-safe. */
public final class SqlNodeStore implements NodeStore {

  private static final List<String> NODE_COLUMNS =
      List.of("name", "health", "reason", "evidence", "anomaly_id", "since");
  private static final int MAX_TEXT = 4000;

  private final Database db;

  public SqlNodeStore(Database db) {
    this.db = db;
  }

  @Override
  public void atomically(Runnable work) {
    db.atomically(() -> {
      work.run();
      return null;
    });
  }

  @Override
  public Optional<NodeRecord> node(String name) {
    return db.queryOne("SELECT * FROM nodes WHERE name = ?", SqlNodeStore::toNode, name);
  }

  @Override
  public List<NodeRecord> nodes() {
    return db.query("SELECT * FROM nodes ORDER BY name", SqlNodeStore::toNode);
  }

  @Override
  public void saveNode(NodeRecord n) {
    db.update(
        db.dialect().upsert("nodes", List.of("name"), NODE_COLUMNS, NODE_COLUMNS.subList(1, 6)),
        n.name(),
        n.health().name(),
        bounded(n.reason()),
        bounded(n.evidence()),
        n.anomalyId(),
        n.since());
  }

  @Override
  public NodeEvent addEvent(NodeEvent e) {
    long id =
        db.inTransaction(c ->
            Database.insert(
                c,
                "INSERT INTO node_events (node, at, kind, reason, job_id, anomaly_id, actor)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                e.node(),
                e.at(),
                e.kind().name(),
                bounded(e.reason()),
                e.jobId(),
                e.anomalyId(),
                e.actor()));
    return new NodeEvent(
        id, e.node(), e.at(), e.kind(), e.reason(), e.jobId(), e.anomalyId(), e.actor());
  }

  @Override
  public List<NodeEvent> events(String node, int limit) {
    return db.query(
        "SELECT * FROM node_events WHERE node = ? ORDER BY id DESC LIMIT " + Math.max(1, limit),
        SqlNodeStore::toEvent,
        node);
  }

  @Override
  public List<Long> implicatingJobs(String node, Instant since) {
    return db.query(
        "SELECT DISTINCT job_id FROM node_events WHERE node = ? AND kind = 'IMPLICATED'"
            + " AND job_id <> 0 AND at >= ? ORDER BY job_id",
        r -> r.getLong("job_id"),
        node,
        since);
  }

  @Override
  public int drainsSince(Instant since) {
    return db.queryOne(
            "SELECT COUNT(*) AS n FROM node_events WHERE kind = 'DRAIN_PLANNED' AND at >= ?",
            r -> r.getInt("n"),
            since)
        .orElse(0);
  }

  @Override
  public long lastAnomalyId() {
    return db.queryOne(
            "SELECT COALESCE(MAX(anomaly_id), 0) AS n FROM node_events", r -> r.getLong("n"))
        .orElse(0L);
  }

  @Override
  public List<NodeRecord> draining() {
    return db.query(
        "SELECT * FROM nodes WHERE health = 'DRAINING' ORDER BY name", SqlNodeStore::toNode);
  }

  private static String bounded(String text) {
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
  }

  private static NodeRecord toNode(ResultSet r) throws SQLException {
    return new NodeRecord(
        r.getString("name"),
        NodeHealth.valueOf(r.getString("health")),
        r.getString("reason"),
        r.getString("evidence"),
        r.getLong("anomaly_id"),
        Database.instant(r, "since"));
  }

  private static NodeEvent toEvent(ResultSet r) throws SQLException {
    return new NodeEvent(
        r.getLong("id"),
        r.getString("node"),
        Database.instant(r, "at"),
        NodeEvent.Kind.valueOf(r.getString("kind")),
        r.getString("reason"),
        r.getLong("job_id"),
        r.getLong("anomaly_id"),
        r.getString("actor"));
  }
}
