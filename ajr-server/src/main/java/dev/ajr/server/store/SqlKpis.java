package dev.ajr.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The KPIs of a time window (docs/kpis.md), read from the KPI views: goodput, the downtime split,
 * time to recover, recoveries by cause, lemon nodes and a daily series. Read-only; thread-safe.
 *
 * <p>Contract: a window is {@code [since, until)}. A recovery, a downtime and a time to recover
 * belong to the window its anomaly was detected in; run time to the window its attempt ended in; a
 * failure is an anomaly with an action (not a harmless line) detected in the window. Days are UTC.
 * Given a user, only that user's jobs count and there are no lemon nodes (nodes are shared). Means
 * are null when nothing was measured. Percentiles are by nearest rank over the latest {@value
 * #MAX_SAMPLES} samples.
 */
public final class SqlKpis {

  static final int MAX_SAMPLES = 100_000;
  static final int LEMONS = 20;
  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  /** Everything of one window; field names are the API's JSON keys. */
  public record Report(
      Instant since,
      Instant until,
      Goodput goodput,
      Downtime downtime,
      Mttr mttr,
      List<CauseCount> recoveriesByCause,
      List<LemonNode> lemonNodes,
      List<Day> daily) {}

  /**
   * @param ratio the share of run time not lost to failures, or null with no run time
   */
  public record Goodput(Double ratio, double runHours, double lostHours) {}

  /** Counts and means of the interruption split (kpi_downtime), milliseconds. */
  public record Downtime(
      long interruptions,
      Double meanMs,
      Double detectionMs,
      Double shutdownMs,
      Double waitingMs,
      Double restartMs,
      Double lostWorkMs) {}

  /** Fault line written to the next attempt started. */
  public record Mttr(long count, Double meanMs, Long p50Ms, Long p90Ms) {}

  public record CauseCount(String cause, long count) {}

  /**
   * @param health the node's health as ajr keeps it, or UNKNOWN
   */
  public record LemonNode(String node, long jobs, long anomalies, String health) {}

  /**
   * @param day YYYY-MM-DD (UTC)
   */
  public record Day(String day, long recoveries, long failures, Double goodputRatio) {}

  private final Database db;

  public SqlKpis(Database db) {
    this.db = db;
  }

  /**
   * @param user only this user's jobs, or null for the cluster
   */
  public Report report(Instant since, Instant until, String user) {
    Window w = new Window(since, until, user);
    long runMs = longValue(runSql(false), w);
    long lostMs = longValue(lostSql(false), w);
    Goodput goodput =
        new Goodput(
            runMs == 0 ? null : (runMs - lostMs) / (double) runMs,
            runMs / 3_600_000.0,
            lostMs / 3_600_000.0);
    return new Report(
        since,
        until,
        goodput,
        downtime(w),
        mttr(w),
        byCause(w),
        user == null ? lemons(w) : List.of(),
        daily(w));
  }

  /** The filter every query shares: the window's two bounds, then the user when given. */
  private record Window(Instant since, Instant until, String user) {
    Object[] params() {
      return user == null ? new Object[] {since, until} : new Object[] {since, until, user};
    }

    /** A join on jobs for {@code alias.job_id} and the user condition, or nothing. */
    String join(String alias) {
      return user == null ? "" : " JOIN jobs j ON j.job_id = " + alias + ".job_id";
    }

    String userTerm() {
      return user == null ? "" : " AND j.user_name = ?";
    }
  }

  /** The UTC day number of an epoch-millisecond column, in this database's integer division. */
  private String day(String column) {
    return db.dialect() == Dialect.MARIADB
        ? "(" + column + " DIV " + DAY_MS + ")"
        : "(" + column + " / " + DAY_MS + ")";
  }

  private String runSql(boolean daily) {
    return "SELECT "
        + (daily ? day("a.end_time") + " AS bucket, " : "")
        + "COALESCE(SUM(a.end_time - a.start_time), 0) AS v FROM attempts a%s"
        + " WHERE a.start_time IS NOT NULL AND a.end_time IS NOT NULL"
        + " AND a.end_time >= ? AND a.end_time < ?%s"
        + (daily ? " GROUP BY bucket" : "");
  }

  private String lostSql(boolean daily) {
    return "SELECT "
        + (daily ? day("r.detected_at") + " AS bucket, " : "")
        + "COALESCE(SUM(d.lost_work_ms + d.restart_ms), 0) AS v FROM kpi_downtime d"
        + " JOIN kpi_recoveries r ON r.decision_id = d.decision_id%s"
        + " WHERE d.lost_work_ms IS NOT NULL AND d.restart_ms IS NOT NULL"
        + " AND r.detected_at >= ? AND r.detected_at < ?%s"
        + (daily ? " GROUP BY bucket" : "");
  }

  private static final String RECOVERED =
      " WHERE r.operation IN ('RESTART', 'RELEASE') AND r.decision_state = 'DONE'"
          + " AND r.detected_at >= ? AND r.detected_at < ?%s";

  private static final String FAILED =
      " WHERE an.action <> 'NONE' AND an.detected_at >= ? AND an.detected_at < ?%s";

  private String sql(String template, Window w, String alias) {
    return String.format(template, w.join(alias), w.userTerm());
  }

  private long longValue(String template, Window w) {
    String alias = template.contains("FROM attempts a") ? "a" : "d";
    return db.queryOne(sql(template, w, alias), r -> r.getLong("v"), w.params()).orElse(0L);
  }

  private Downtime downtime(Window w) {
    return db.queryOne(
            sql(
                "SELECT COUNT(*) AS n, AVG(d.downtime_ms) AS mean_ms,"
                    + " AVG(d.detection_ms) AS detection_ms, AVG(d.shutdown_ms) AS shutdown_ms,"
                    + " AVG(d.waiting_ms) AS waiting_ms, AVG(d.restart_ms) AS restart_ms,"
                    + " AVG(d.lost_work_ms) AS lost_work_ms FROM kpi_downtime d"
                    + " JOIN kpi_recoveries r ON r.decision_id = d.decision_id%s"
                    + " WHERE r.detected_at >= ? AND r.detected_at < ?%s",
                w, "d"),
            r ->
                new Downtime(
                    r.getLong("n"),
                    mean(r, "mean_ms"),
                    mean(r, "detection_ms"),
                    mean(r, "shutdown_ms"),
                    mean(r, "waiting_ms"),
                    mean(r, "restart_ms"),
                    mean(r, "lost_work_ms")),
            w.params())
        .orElseThrow();
  }

  private static final String RECOVERY_TIMES =
      " FROM kpi_recoveries r%s WHERE r.next_attempt_started_at IS NOT NULL"
          + " AND r.line_written_at IS NOT NULL AND r.detected_at >= ? AND r.detected_at < ?%s";

  private Mttr mttr(Window w) {
    record Totals(long count, Double mean) {}
    Totals totals =
        db.queryOne(
                sql(
                    "SELECT COUNT(*) AS n, AVG(r.next_attempt_started_at - r.line_written_at) AS m"
                        + RECOVERY_TIMES,
                    w,
                    "r"),
                r -> new Totals(r.getLong("n"), mean(r, "m")),
                w.params())
            .orElseThrow();
    if (totals.count() == 0) {
      return new Mttr(0, null, null, null);
    }
    List<Object> params = new ArrayList<>(Arrays.asList(w.params()));
    params.add(MAX_SAMPLES);
    long[] samples =
        db
            .query(
                sql(
                    "SELECT r.next_attempt_started_at - r.line_written_at AS ms"
                        + RECOVERY_TIMES
                        + " ORDER BY r.detected_at DESC LIMIT ?",
                    w,
                    "r"),
                r -> r.getLong("ms"),
                params.toArray())
            .stream()
            .mapToLong(Long::longValue)
            .sorted()
            .toArray();
    return new Mttr(
        totals.count(), totals.mean(), percentile(samples, 0.5), percentile(samples, 0.9));
  }

  /** The nearest-rank percentile of sorted samples. */
  static Long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  private List<CauseCount> byCause(Window w) {
    return db.query(
        sql(
            "SELECT r.cause, COUNT(*) AS n FROM kpi_recoveries r%s"
                + RECOVERED
                + " GROUP BY r.cause ORDER BY n DESC, r.cause",
            w,
            "r"),
        r -> new CauseCount(r.getString("cause"), r.getLong("n")),
        w.params());
  }

  private List<LemonNode> lemons(Window w) {
    return db.query(
        "SELECT an.node, COUNT(DISTINCT an.job_id) AS jobs, COUNT(*) AS n,"
            + " MAX(nd.health) AS health FROM anomalies an LEFT JOIN nodes nd ON nd.name = an.node"
            + " WHERE an.node <> '' AND an.action <> 'NONE'"
            + " AND an.detected_at >= ? AND an.detected_at < ?"
            + " GROUP BY an.node ORDER BY jobs DESC, n DESC, an.node LIMIT "
            + LEMONS,
        r ->
            new LemonNode(
                r.getString("node"),
                r.getLong("jobs"),
                r.getLong("n"),
                r.getString("health") == null ? "UNKNOWN" : r.getString("health")),
        w.since(),
        w.until());
  }

  private List<Day> daily(Window w) {
    Map<Long, Long> recoveries =
        byDay(
            sql(
                "SELECT "
                    + day("r.detected_at")
                    + " AS bucket, COUNT(*) AS v"
                    + " FROM kpi_recoveries r%s"
                    + RECOVERED
                    + " GROUP BY bucket",
                w,
                "r"),
            w);
    Map<Long, Long> failures =
        byDay(
            sql(
                "SELECT "
                    + day("an.detected_at")
                    + " AS bucket, COUNT(*) AS v"
                    + " FROM anomalies an%s"
                    + FAILED
                    + " GROUP BY bucket",
                w,
                "an"),
            w);
    Map<Long, Long> run = byDay(sql(runSql(true), w, "a"), w);
    Map<Long, Long> lost = byDay(sql(lostSql(true), w, "d"), w);
    List<Day> days = new ArrayList<>();
    long first = Math.floorDiv(w.since().toEpochMilli(), DAY_MS);
    long last = Math.floorDiv(w.until().toEpochMilli() - 1, DAY_MS);
    for (long d = first; d <= last; d++) {
      long runMs = run.getOrDefault(d, 0L);
      long lostMs = lost.getOrDefault(d, 0L);
      days.add(
          new Day(
              LocalDate.ofEpochDay(d).toString(),
              recoveries.getOrDefault(d, 0L),
              failures.getOrDefault(d, 0L),
              runMs == 0 ? null : (runMs - lostMs) / (double) runMs));
    }
    return days;
  }

  private Map<Long, Long> byDay(String sql, Window w) {
    Map<Long, Long> values = new LinkedHashMap<>();
    db.query(sql, r -> values.put(r.getLong("bucket"), r.getLong("v")), w.params());
    return values;
  }

  private static Double mean(ResultSet r, String column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }
}
