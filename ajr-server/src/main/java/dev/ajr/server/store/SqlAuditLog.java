package dev.ajr.server.store;

import dev.ajr.server.audit.AuditLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail in the table {@code audit_log}.
 *
 * <p>Contract: {@link #record} never throws (a failed write is logged without its detail and
 * dropped); actor, action and target are cut to their column widths and the detail to {@value
 * #MAX_DETAIL} characters. Pages are newest first. Thread-safe.
 */
public final class SqlAuditLog implements AuditLog {

  private static final Logger log = LoggerFactory.getLogger(SqlAuditLog.class);
  static final int MAX_DETAIL = 4000;

  /**
   * One row of the trail.
   *
   * @param count how many times it happened: more than 1 only for a row of {@link #recordRepeated}
   *     (then {@code at} is the start of its window)
   */
  public record Entry(
      long id, Instant at, String actor, String action, String target, String detail, int count) {}

  /**
   * Which rows to list; null fields do not filter.
   *
   * @param since inclusive
   * @param until exclusive
   */
  public record Filter(String actor, String action, Instant since, Instant until) {
    public static final Filter ALL = new Filter(null, null, null, null);
  }

  private final Database db;
  private final Clock clock;

  public SqlAuditLog(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public void record(String actor, String action, String target, String detail) {
    try {
      db.update(
          "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
          clock.instant(),
          cut(actor, 255),
          cut(action, 64),
          cut(target, 255),
          cut(detail, MAX_DETAIL));
    } catch (RuntimeException e) {
      log.warn("audit record {} by {} not written: {}", action, actor, e.toString());
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Two writers of one window on different replicas may each write a row; on one server the
   * count is exact.
   */
  @Override
  public synchronized void recordRepeated(
      String actor, String action, String target, String detail, Instant window) {
    try {
      int updated =
          db.update(
              "UPDATE audit_log SET occurrences = occurrences + 1, detail = ?"
                  + " WHERE at = ? AND action = ? AND target = ? AND actor = ?",
              cut(detail, MAX_DETAIL),
              window,
              cut(action, 64),
              cut(target, 255),
              cut(actor, 255));
      if (updated == 0) {
        db.update(
            "INSERT INTO audit_log (at, actor, action, target, detail, occurrences)"
                + " VALUES (?, ?, ?, ?, ?, 1)",
            window,
            cut(actor, 255),
            cut(action, 64),
            cut(target, 255),
            cut(detail, MAX_DETAIL));
      }
    } catch (RuntimeException e) {
      log.warn("audit record {} by {} not written: {}", action, actor, e.toString());
    }
  }

  /** A page of rows matching the filter, newest first. */
  public List<Entry> page(Filter filter, int limit, int offset) {
    List<Object> params = new ArrayList<>();
    String where = where(filter, params);
    params.add(limit);
    params.add(offset);
    return db.query(
        "SELECT id, at, actor, action, target, detail, occurrences FROM audit_log"
            + where
            + " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
        SqlAuditLog::entry,
        params.toArray());
  }

  /** How many rows match the filter. */
  public long count(Filter filter) {
    List<Object> params = new ArrayList<>();
    String where = where(filter, params);
    return db.queryOne(
            "SELECT COUNT(*) AS n FROM audit_log" + where, r -> r.getLong("n"), params.toArray())
        .orElse(0L);
  }

  /** Deletes at most {@code batch} rows older than the cutoff; returns how many. */
  public int pruneOlderThan(Instant cutoff, int batch) {
    List<Long> ids =
        db.query(
            "SELECT id FROM audit_log WHERE at < ? ORDER BY id LIMIT ?",
            r -> r.getLong("id"),
            cutoff,
            batch);
    if (ids.isEmpty()) {
      return 0;
    }
    String in = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
    return db.update("DELETE FROM audit_log WHERE id IN (" + in + ")", ids.toArray());
  }

  private static String where(Filter f, List<Object> params) {
    List<String> terms = new ArrayList<>();
    if (f.actor() != null) {
      terms.add("actor = ?");
      params.add(f.actor());
    }
    if (f.action() != null) {
      terms.add("action = ?");
      params.add(f.action());
    }
    if (f.since() != null) {
      terms.add("at >= ?");
      params.add(f.since());
    }
    if (f.until() != null) {
      terms.add("at < ?");
      params.add(f.until());
    }
    return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
  }

  private static Entry entry(ResultSet r) throws SQLException {
    return new Entry(
        r.getLong("id"),
        Database.instant(r, "at"),
        r.getString("actor"),
        r.getString("action"),
        r.getString("target"),
        r.getString("detail"),
        r.getInt("occurrences"));
  }

  private static String cut(String text, int max) {
    if (text == null) {
      return "";
    }
    return text.length() <= max ? text : text.substring(0, max);
  }
}
