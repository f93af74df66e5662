package dev.ajr.server.logs;

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

  Optional<Saved> load(long jobId, String path);

  void save(long jobId, String path, int attempt, FileFollower.Checkpoint checkpoint);

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
