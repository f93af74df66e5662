package dev.ajr.server.logs;

/**
 * A file {@link LogFollowService} follows for one job (equal only to itself: a file two jobs use is
 * followed once for each), with the attempt its lines belong to and the position saved last.
 * Mutable, and confined to the follower thread ({@code ajr-log-follower}).
 */
final class FollowedFile {
  /** The attempt of a file Slurm reuses across attempts: whichever runs when a line is read. */
  static final int CURRENT_ATTEMPT = -1;

  final FollowedJob job;
  final FileFollower follower;
  int attempt; // changed only by reattributeStepLogs, on the follower thread
  final LogDirectory dir;
  final int slot;
  FileFollower.Checkpoint saved;
  boolean fresh = true; // read at once, whatever its directory

  FollowedFile(FollowedJob job, FileFollower follower, int attempt, LogDirectory dir, int slot) {
    this.job = job;
    this.follower = follower;
    this.attempt = attempt;
    this.dir = dir;
    this.slot = slot;
  }
}
