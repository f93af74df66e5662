package dev.ajr.server.logs;

import dev.ajr.core.tracking.ActiveAttempt;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A job {@link LogFollowService} follows: its files, the directories it uses, the attempt seen last
 * and the queue its lines wait in to be handled ({@link JobLines}, thread-safe; a job followed
 * again while the lines of its forgotten self still wait gets the same queue). Mutable, and
 * confined to the follower thread ({@code ajr-log-follower}) but for the queue.
 */
final class FollowedJob {
  final long jobId;
  final JobLines lines;
  final Map<Path, FollowedFile> files = new LinkedHashMap<>();
  final Set<Path> dirs = new LinkedHashSet<>();
  ActiveAttempt attempt;
  Instant lastActive = Instant.EPOCH;
  Instant lastScan = Instant.EPOCH;

  FollowedJob(long jobId, JobLines lines) {
    this.jobId = jobId;
    this.lines = lines;
  }
}
