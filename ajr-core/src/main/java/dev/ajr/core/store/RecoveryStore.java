package dev.ajr.core.store;

import dev.ajr.core.detect.Anomaly;
import dev.ajr.core.detect.ExcerptLine;
import dev.ajr.core.job.Attempt;
import dev.ajr.core.job.Job;
import dev.ajr.core.progress.AttemptProgress;
import dev.ajr.core.recovery.Action;
import dev.ajr.core.recovery.Decision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port to ajr's durable state: jobs, attempts, anomalies, decisions and actions, and the
 * progress attempts showed. Every method is atomic and thread-safe; callers that read, change and
 * write one job hold its lock ({@link JobLocks}). A method that fails throws {@link
 * StoreException}.
 */
public interface RecoveryStore {

  Optional<Job> job(long jobId);

  /** Inserts the job or replaces the stored one with the same id. */
  void saveJob(Job job);

  /** Jobs matching the query, newest job id first. */
  List<Job> jobs(JobQuery query);

  int countJobs(JobQuery query);

  /**
   * Runs {@code work} so that what it writes (through this store and the others on the same
   * database) and the events it publishes are kept together: all of it, or none. Event delivery to
   * in-process subscribers waits for the commit. Take job locks before calling, never inside.
   */
  default void atomically(Runnable work) {
    work.run();
  }

  /**
   * Anomalies stored after the one with id {@code afterId}, oldest first, at most {@code limit}.
   */
  List<Anomaly> anomaliesAfter(long afterId, int limit);

  /** Ids of jobs whose status is not final. */
  List<Long> activeJobIds();

  /** The job's attempts by index. */
  List<Attempt> attempts(long jobId);

  /** Inserts the attempt or replaces the stored one with the same job id and index. */
  void saveAttempt(Attempt attempt);

  /**
   * Stores an anomaly; empty when the same line (job, attempt, source, line number) is already
   * stored, so a line read twice is one anomaly.
   */
  Optional<Anomaly> addAnomaly(Anomaly anomaly);

  List<Anomaly> anomalies(long jobId);

  /**
   * Adds lines to the stored log excerpt of the anomaly, as {@link
   * dev.ajr.core.detect.Excerpt#merge} says (one line per line number, in order, at most {@link
   * dev.ajr.core.detect.Excerpt#MAX_BYTES}). Nothing happens when the anomaly is not stored (any
   * more). The lines are kept as data only.
   */
  void appendExcerpt(long anomalyId, List<ExcerptLine> lines);

  /**
   * The log excerpts of the job's anomalies by anomaly id, lines in order; an anomaly stored
   * without one (before excerpts existed) is left out.
   */
  Map<Long, List<ExcerptLine>> excerpts(long jobId);

  /** Stores a decision and its actions in one transaction; returns the decision with its id. */
  Decision addDecision(Decision decision, List<Action> actions);

  /**
   * Updates the decision's state. A decision that is already DONE or FAILED is never changed, so a
   * late or second writer cannot take back an outcome.
   */
  void saveDecision(Decision decision);

  /**
   * Updates the action. An action that is already VERIFIED or FAILED is never changed, so a late or
   * second writer cannot take back an outcome.
   */
  void saveAction(Action action);

  Optional<Decision> decision(long decisionId);

  Optional<Decision> decisionFor(long jobId, int attemptIndex);

  List<Decision> decisions(long jobId);

  /** The decision's actions in order. */
  List<Action> actions(long decisionId);

  /** Decisions not yet DONE or FAILED, oldest first: resumed on start. */
  List<Decision> unfinishedDecisions();

  /** The job whose recovery released this one, when it is the successor in a singleton chain. */
  Optional<Long> predecessorOf(long successorJobId);

  /**
   * The progress each attempt of the job showed (checkpoints saved, highest checkpoint and
   * iteration), by attempt index; attempts that showed none are left out.
   */
  List<AttemptProgress> progress(long jobId);

  /**
   * How many restarts ajr made on the whole cluster at or after {@code since}: RESTART and RELEASE
   * decisions created since then that did not fail and were not only observed (observe mode, where
   * every action is SKIPPED).
   */
  int restartsSince(Instant since);
}
