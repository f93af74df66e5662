package dev.ajr.server.logs;

/**
 * A file {@link LogFollowService} follows for one job (equal only to itself: a file two jobs use is
 * followed once for each), with the attempt its lines belong to, how far its lines were handled and
 * the position saved last. Mutable, and confined to the follower thread ({@code ajr-log-follower})
 * but for {@link #handled}, which the handler thread that handled the lines sets.
 */
final class FollowedFile {
  /** The attempt of a file Slurm reuses across attempts: whichever runs when a line is read. */
  static final int CURRENT_ATTEMPT = -1;

  final FollowedJob job;
  final FileFollower follower;
  int attempt; // changed only by reattributeStepLogs, on the follower thread
  final LogDirectory dir;
  final int slot;

  /**
   * Where a restart would read on after the last line handled: set by the handler thread once the
   * lines read before it are handled ({@link JobLines.Handled}); null while none is.
   */
  volatile FileFollower.Checkpoint handled;

  FileFollower.Checkpoint saved;
  boolean fresh = true; // read at once, whatever its directory
  boolean heldBack; // its last read stopped short: the job's queue was full

  FollowedFile(FollowedJob job, FileFollower follower, int attempt, LogDirectory dir, int slot) {
    this.job = job;
    this.follower = follower;
    this.attempt = attempt;
    this.dir = dir;
    this.slot = slot;
  }
}
