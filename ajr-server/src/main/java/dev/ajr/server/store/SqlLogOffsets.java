package dev.ajr.server.store;

import dev.ajr.server.logs.FileFollower;
import dev.ajr.server.logs.LogOffsets;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
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
    db.update(upsert(), values(new Position(jobId, path, attempt, c), clock.instant()));
  }

  /** All positions in one transaction and one prepared statement. */
  @Override
  public void saveAll(List<Position> positions) {
    if (positions.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    db.inTransaction(connection -> {
      try (PreparedStatement ps = connection.prepareStatement(upsert())) {
        for (Position p : positions) {
          Database.bind(ps, values(p, now));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  private String upsert() {
    return db.dialect()
        .upsert(
            "log_offsets", List.of("job_id", "path"), COLUMNS, COLUMNS.subList(2, COLUMNS.size()));
  }

  private static Object[] values(Position p, Instant now) {
    FileFollower.Checkpoint c = p.checkpoint();
    return new Object[] {
      p.jobId(),
      p.path(),
      p.attempt(),
      c.resumeAt(),
      c.lineNumber(),
      c.headLength(),
      c.headCrc(),
      now
    };
  }

  @Override
  public void forget(long jobId) {
    db.update("DELETE FROM log_offsets WHERE job_id = ?", jobId);
  }
}
