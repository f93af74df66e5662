package dev.ajr.server.store;

import dev.ajr.core.progress.ProgressEvent;
import java.time.Instant;

/**
 * Records the checkpoint saves and loads the jobs' logs show, for the downtime and goodput KPIs.
 * Thread-safe.
 */
public final class SqlProgressMarks {

  private final Database db;

  public SqlProgressMarks(Database db) {
    this.db = db;
  }

  /** Records a checkpoint line of an attempt; other progress lines are not kept. */
  public void record(long jobId, int attemptIndex, ProgressEvent event, Instant at) {
    if (event.kind() == ProgressEvent.Kind.ITERATION) {
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
}
