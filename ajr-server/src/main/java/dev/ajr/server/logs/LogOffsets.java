package dev.ajr.server.logs;

import java.util.List;
import java.util.Optional;

/**
 * Where the follower stopped in each file, kept across restarts of ajr. Implementations are
 * thread-safe.
 */
public interface LogOffsets {

  /**
   * A saved position.
   *
   * @param attempt the attempt the file belongs to, or -1 for a file shared by all attempts
   */
  record Saved(int attempt, FileFollower.Checkpoint checkpoint) {}

  /**
   * A position to save.
   *
   * @param attempt the attempt the file belongs to, or -1 for a file shared by all attempts
   */
  record Position(long jobId, String path, int attempt, FileFollower.Checkpoint checkpoint) {}

  Optional<Saved> load(long jobId, String path);

  void save(long jobId, String path, int attempt, FileFollower.Checkpoint checkpoint);

  /**
   * Saves many positions at once. A database writes them in one transaction: the follower saves the
   * positions of all files that moved once a second, and one write per file would keep its thread
   * from reading. By default they are saved one by one.
   */
  default void saveAll(List<Position> positions) {
    for (Position p : positions) {
      save(p.jobId(), p.path(), p.attempt(), p.checkpoint());
    }
  }

  /** Drops the job's positions once its files are no longer followed. */
  void forget(long jobId);

  /** Keeps nothing: every start reads files from their beginning. */
  LogOffsets NONE =
      new LogOffsets() {
        @Override
        public Optional<Saved> load(long jobId, String path) {
          return Optional.empty();
        }

        @Override
        public void save(long jobId, String path, int attempt, FileFollower.Checkpoint c) {}

        @Override
        public void forget(long jobId) {}
      };
}
