package dev.ajr.server.store;

import dev.ajr.server.logs.FileFollower;
import dev.ajr.server.logs.LogOffsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** {@link LogOffsets} in the {@code log_offsets} table. Thread-safe. */
public final class SqlLogOffsets implements LogOffsets {

  private static final List<String> COLUMNS =
      List.of(
          "job_id",
          "path",
          "attempt_index",
          "resume_at",
          "line_number",
          "head_length",
          "head_crc",
          "updated_at");

  private final Database db;
  private final Clock clock;

  public SqlLogOffsets(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Optional<Saved> load(long jobId, String path) {
    return db.queryOne(
        "SELECT * FROM log_offsets WHERE job_id = ? AND path = ?",
        r ->
            new Saved(
                r.getInt("attempt_index"),
                new FileFollower.Checkpoint(
                    r.getLong("resume_at"),
                    r.getLong("line_number"),
                    r.getLong("head_length"),
                    r.getLong("head_crc"))),
        jobId,
        path);
  }

  @Override
  public void save(long jobId, String path, int attempt, FileFollower.Checkpoint c) {
    db.update(
        db.dialect()
            .upsert(
                "log_offsets",
                List.of("job_id", "path"),
                COLUMNS,
                COLUMNS.subList(2, COLUMNS.size())),
        jobId,
        path,
        attempt,
        c.resumeAt(),
        c.lineNumber(),
        c.headLength(),
        c.headCrc(),
        clock.instant());
  }

  @Override
  public void forget(long jobId) {
    db.update("DELETE FROM log_offsets WHERE job_id = ?", jobId);
  }
}
