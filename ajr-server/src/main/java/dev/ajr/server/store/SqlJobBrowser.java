package dev.ajr.server.store;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.Job;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.store.JobBrowser;
import dev.ajr.core.store.JobFacets;
import dev.ajr.core.store.JobFilter;
import dev.ajr.core.store.JobTimeline;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link JobBrowser} in SQL over a {@link Database}. A page costs four queries whatever its size:
 * the jobs (ordered and paged by the database, on the indexes of migration V22), then their
 * attempts, anomalies and decisions with {@code job_id IN (...)}. Thread-safe.
 */
public final class SqlJobBrowser implements JobBrowser {

  /** The order of every list: newest submit time (else first seen), then highest job id. */
  static final String ORDER = " ORDER BY sort_time DESC, job_id DESC";

  private final Database db;

  public SqlJobBrowser(Database db) {
    this.db = db;
  }

  @Override
  public List<JobTimeline> jobs(JobFilter filter) {
    List<Object> params = new ArrayList<>();
    List<Job> jobs = db.query(pageSql(filter, params), SqlJobs::toJob, params.toArray());
    if (jobs.isEmpty()) {
      return List.of();
    }
    Object[] ids = jobs.stream().map(Job::jobId).toArray();
    String in = " IN (" + String.join(", ", Collections.nCopies(ids.length, "?")) + ")";
    List<Attempt> attempts =
        db.query(
            "SELECT * FROM attempts WHERE job_id" + in + " ORDER BY job_id, attempt_index",
            SqlJobs::toAttempt,
            ids);
    List<Anomaly> anomalies =
        db.query(
            "SELECT * FROM anomalies WHERE job_id" + in + " ORDER BY id",
            SqlAnomalies::toAnomaly,
            ids);
    List<Decision> decisions =
        db.query("SELECT * FROM decisions WHERE job_id" + in, SqlDecisions::toDecision, ids);
    return assemble(jobs, attempts, anomalies, decisions);
  }

  /**
   * Puts each attempt under its job, each anomaly under its attempt and each decision on its
   * anomaly. An anomaly whose attempt is not stored is left out.
   */
  static List<JobTimeline> assemble(
      List<Job> jobs, List<Attempt> attempts, List<Anomaly> anomalies, List<Decision> decisions) {
    Map<Long, Decision> decisionByAnomaly = new HashMap<>();
    for (Decision d : decisions) {
      decisionByAnomaly.put(d.anomalyId(), d);
    }
    Map<String, List<JobTimeline.AnomalyEntry>> anomaliesByAttempt = new HashMap<>();
    for (Anomaly a : anomalies) {
      anomaliesByAttempt
          .computeIfAbsent(a.jobId() + "/" + a.attemptIndex(), k -> new ArrayList<>())
          .add(new JobTimeline.AnomalyEntry(a, decisionByAnomaly.get(a.id())));
    }
    Map<Long, List<JobTimeline.AttemptEntry>> attemptsByJob = new HashMap<>();
    for (Attempt a : attempts) {
      attemptsByJob
          .computeIfAbsent(a.jobId(), k -> new ArrayList<>())
          .add(
              new JobTimeline.AttemptEntry(
                  a, anomaliesByAttempt.getOrDefault(a.jobId() + "/" + a.index(), List.of())));
    }
    return jobs.stream()
        .map(j -> new JobTimeline(j, attemptsByJob.getOrDefault(j.jobId(), List.of())))
        .toList();
  }

  @Override
  public int count(JobFilter filter) {
    List<Object> params = new ArrayList<>();
    return db.queryOne(countSql(filter, params), r -> r.getInt("n"), params.toArray()).orElse(0);
  }

  /** The query of a page of jobs; its values are appended to {@code params}. */
  static String pageSql(JobFilter filter, List<Object> params) {
    String where = where(filter, params);
    params.add(filter.limit());
    params.add(filter.offset());
    return "SELECT * FROM jobs" + where + ORDER + " LIMIT ? OFFSET ?";
  }

  /** The query counting all matching jobs; its values are appended to {@code params}. */
  static String countSql(JobFilter filter, List<Object> params) {
    return "SELECT COUNT(*) AS n FROM jobs" + where(filter, params);
  }

  @Override
  public JobFacets facets(String user) {
    String own = user == null ? "" : " WHERE user_name = ?";
    Object[] params = user == null ? new Object[0] : new Object[] {user};
    List<String> users =
        user == null
            ? db.query("SELECT DISTINCT user_name AS v FROM jobs", r -> r.getString("v"))
            : db.query(
                "SELECT DISTINCT user_name AS v FROM jobs WHERE user_name = ?",
                r -> r.getString("v"),
                user);
    List<String> partitions =
        db.query(
            "SELECT DISTINCT partition_name AS v FROM jobs" + own, r -> r.getString("v"), params);
    List<String> statuses =
        db.query("SELECT DISTINCT status AS v FROM jobs" + own, r -> r.getString("v"), params);
    List<String> causes =
        user == null
            ? db.query("SELECT DISTINCT cause AS v FROM anomalies", r -> r.getString("v"))
            : db.query(
                "SELECT DISTINCT a.cause AS v FROM anomalies a JOIN jobs j ON j.job_id = a.job_id"
                    + " WHERE j.user_name = ?",
                r -> r.getString("v"),
                user);
    return new JobFacets(sorted(users), sorted(partitions), sorted(causes), sorted(statuses));
  }

  /** Sorted here, not by the database: the collations of the three databases differ. */
  private static List<String> sorted(List<String> values) {
    return values.stream().sorted(Comparator.naturalOrder()).toList();
  }

  /** The WHERE clause of a filter (or nothing), its values appended to {@code params}. */
  static String where(JobFilter f, List<Object> params) {
    List<String> clauses = new ArrayList<>();
    if (f.user() != null) {
      clauses.add("user_name = ?");
      params.add(f.user());
    }
    if (f.status() != null) {
      clauses.add("status = ?");
      params.add(f.status().name());
    }
    if (f.partition() != null) {
      clauses.add("partition_name = ?");
      params.add(f.partition());
    }
    if (f.cause() != null) {
      clauses.add(
          "EXISTS (SELECT 1 FROM anomalies a WHERE a.cause = ? AND a.job_id = jobs.job_id)");
      params.add(f.cause().name());
    }
    if (f.since() != null) {
      clauses.add("sort_time >= ?");
      params.add(f.since());
    }
    if (f.until() != null) {
      clauses.add("sort_time < ?");
      params.add(f.until());
    }
    if (f.jobId() != null) {
      clauses.add("job_id = ?");
      params.add(f.jobId());
    }
    if (f.nameContains() != null) {
      clauses.add("LOWER(name) LIKE ? ESCAPE '!'");
      params.add("%" + likeEscaped(f.nameContains().toLowerCase(Locale.ROOT)) + "%");
    }
    return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
  }

  /** The text with LIKE's wildcards (and the escape character {@code !}) taken literally. */
  static String likeEscaped(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
