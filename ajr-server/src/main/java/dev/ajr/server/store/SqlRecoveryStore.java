package dev.ajr.server.store;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.Job;
import dev.ajr.core.progress.AttemptProgress;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.Decision;
import dev.ajr.core.store.JobQuery;
import dev.ajr.core.store.RecoveryStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RecoveryStore} in SQL over a {@link Database}, by aggregate: {@link SqlJobs} (jobs,
 * attempts, their progress, pruning), {@link SqlAnomalies} (anomalies and their excerpts) and
 * {@link SqlDecisions} (decisions, actions, restarts). {@link #atomically} binds one transaction to
 * the calling thread ({@link Database#atomically}), which all three join. Thread-safe (the database
 * serializes).
 */
public final class SqlRecoveryStore implements RecoveryStore {

  private final Database db;
  private final SqlJobs jobs;
  private final SqlAnomalies anomalies;
  private final SqlDecisions decisions;

  public SqlRecoveryStore(Database db, Clock clock) {
    this.db = db;
    this.jobs = new SqlJobs(db, clock);
    this.anomalies = new SqlAnomalies(db);
    this.decisions = new SqlDecisions(db);
  }

  @Override
  public void atomically(Runnable work) {
    db.atomically(() -> {
      work.run();
      return null;
    });
  }

  // --- jobs and attempts ---

  @Override
  public Optional<Job> job(long jobId) {
    return jobs.job(jobId);
  }

  @Override
  public void saveJob(Job job) {
    jobs.saveJob(job);
  }

  @Override
  public List<Job> jobs(JobQuery query) {
    return jobs.jobs(query);
  }

  @Override
  public int countJobs(JobQuery query) {
    return jobs.countJobs(query);
  }

  @Override
  public List<Long> activeJobIds() {
    return jobs.activeJobIds();
  }

  @Override
  public List<Attempt> attempts(long jobId) {
    return jobs.attempts(jobId);
  }

  @Override
  public void saveAttempt(Attempt a) {
    jobs.saveAttempt(a);
  }

  @Override
  public List<AttemptProgress> progress(long jobId) {
    return jobs.progress(jobId);
  }

  /**
   * Deletes up to {@code batch} finished jobs last updated before {@code cutoff}, with their
   * attempts, anomalies (the log excerpts), decisions, actions and saved log positions, in one
   * short transaction. Returns how many jobs were deleted; call again until it returns less than
   * {@code batch}, so the service is never blocked for long.
   */
  public int pruneFinishedJobs(Instant cutoff, int batch) {
    return jobs.pruneFinishedJobs(cutoff, batch);
  }

  // --- anomalies and excerpts ---

  @Override
  public Optional<Anomaly> addAnomaly(Anomaly a) {
    return anomalies.addAnomaly(a);
  }

  @Override
  public List<Anomaly> anomaliesAfter(long afterId, int limit) {
    return anomalies.anomaliesAfter(afterId, limit);
  }

  @Override
  public List<Anomaly> anomalies(long jobId) {
    return anomalies.anomalies(jobId);
  }

  @Override
  public void appendExcerpt(long anomalyId, List<ExcerptLine> lines) {
    anomalies.appendExcerpt(anomalyId, lines);
  }

  @Override
  public Map<Long, List<ExcerptLine>> excerpts(long jobId) {
    return anomalies.excerpts(jobId);
  }

  // --- decisions and actions ---

  @Override
  public Decision addDecision(Decision d, List<Action> actions) {
    return decisions.addDecision(d, actions);
  }

  @Override
  public void saveDecision(Decision d) {
    decisions.saveDecision(d);
  }

  @Override
  public void saveAction(Action a) {
    decisions.saveAction(a);
  }

  @Override
  public Optional<Decision> decision(long decisionId) {
    return decisions.decision(decisionId);
  }

  @Override
  public Optional<Decision> decisionFor(long jobId, int attemptIndex) {
    return decisions.decisionFor(jobId, attemptIndex);
  }

  @Override
  public List<Decision> decisions(long jobId) {
    return decisions.decisions(jobId);
  }

  @Override
  public List<Action> actions(long decisionId) {
    return decisions.actions(decisionId);
  }

  @Override
  public List<Decision> unfinishedDecisions() {
    return decisions.unfinishedDecisions();
  }

  @Override
  public Optional<Long> predecessorOf(long successorJobId) {
    return decisions.predecessorOf(successorJobId);
  }

  @Override
  public int restartsSince(Instant since) {
    return decisions.restartsSince(since);
  }
}
