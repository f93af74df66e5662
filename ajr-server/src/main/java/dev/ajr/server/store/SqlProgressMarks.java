package dev.ajr.server.store;

import dev.ajr.core.progress.ProgressEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the progress the jobs' logs show: every checkpoint save and load (for the downtime and
 * goodput KPIs and the recovery policy), and the highest iteration of each attempt (for the
 * recovery policy, when a job writes no checkpoint lines). The iteration is one row of kind {@code
 * ITERATION} per attempt, raised at most once per {@link #ITERATION_EVERY} of log time, so a
 * training loop that logs every step costs a write now and then; the highest iteration an attempt
 * reached in its last seconds may be missing. Thread-safe.
 */
public final class SqlProgressMarks {

  /** How often, at most, an attempt's highest iteration is written. */
  static final Duration ITERATION_EVERY = Duration.ofSeconds(10);

  private static final int MAX_TRACKED = 10_000;

  private final Database db;

  /** The iteration last written per job (its latest attempt only), least recently used first. */
  private final Map<Long, Written> written =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Written> eldest) {
          return size() > MAX_TRACKED;
        }
      };

  private record Written(int attemptIndex, long iteration, Instant at) {}

  public SqlProgressMarks(Database db) {
    this.db = db;
  }

  /** A progress mark: an attempt showed progress at {@code at}. */
  public record Mark(long jobId, int attemptIndex, Instant at) {}

  /** Marks written (or raised) after {@code since}, by any replica, oldest first. */
  public List<Mark> since(Instant since) {
    return db.query(
        "SELECT job_id, attempt_index, marked_at FROM progress_marks WHERE marked_at > ?"
            + " ORDER BY marked_at",
        r ->
            new Mark(
                r.getLong("job_id"), r.getInt("attempt_index"), Database.instant(r, "marked_at")),
        since);
  }

  /** Records a progress line of an attempt, read at {@code at}. */
  public void record(long jobId, int attemptIndex, ProgressEvent event, Instant at) {
    if (event.kind() == ProgressEvent.Kind.ITERATION) {
      if (event.iteration() >= 0) {
        iteration(jobId, attemptIndex, event.iteration(), at);
      }
      return;
    }
    db.update(
        "INSERT INTO progress_marks (job_id, attempt_index, kind, marked_at, iteration)"
            + " VALUES (?, ?, ?, ?, ?)",
        jobId,
        attemptIndex,
        event.kind(),
        at,
        event.iteration());
  }

  private synchronized void iteration(long jobId, int attemptIndex, long iteration, Instant at) {
    Written last = written.get(jobId);
    if (last != null && last.attemptIndex() == attemptIndex) {
      if (iteration <= last.iteration()
          || Duration.between(last.at(), at).compareTo(ITERATION_EVERY) < 0) {
        return;
      }
      raise(jobId, attemptIndex, iteration, at);
      written.put(jobId, new Written(attemptIndex, iteration, at));
      return;
    }
    // The first iteration of the attempt this process sees: a row may be there from before.
    List<Long> stored =
        db.query(
            "SELECT iteration FROM progress_marks WHERE job_id = ? AND attempt_index = ?"
                + " AND kind = 'ITERATION'",
            r -> r.getLong("iteration"),
            jobId,
            attemptIndex);
    if (stored.isEmpty()) {
      db.update(
          "INSERT INTO progress_marks (job_id, attempt_index, kind, marked_at, iteration)"
              + " VALUES (?, ?, 'ITERATION', ?, ?)",
          jobId,
          attemptIndex,
          at,
          iteration);
    } else if (iteration > stored.get(0)) {
      raise(jobId, attemptIndex, iteration, at);
    }
    written.put(
        jobId,
        new Written(attemptIndex, Math.max(iteration, stored.isEmpty() ? -1 : stored.get(0)), at));
  }

  private void raise(long jobId, int attemptIndex, long iteration, Instant at) {
    db.update(
        "UPDATE progress_marks SET iteration = ?, marked_at = ? WHERE job_id = ?"
            + " AND attempt_index = ? AND kind = 'ITERATION' AND iteration < ?",
        iteration,
        at,
        jobId,
        attemptIndex,
        iteration);
  }
}
