package dev.ajr.server.logs;

import dev.ajr.core.tracking.ActiveAttempt;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A job {@link LogFollowService} follows: its files, the directories it uses and the attempt seen
 * last. Mutable, and confined to the follower thread ({@code ajr-log-follower}).
 */
final class FollowedJob {
  final long jobId;
  final Map<Path, FollowedFile> files = new LinkedHashMap<>();
  final Set<Path> dirs = new LinkedHashSet<>();
  ActiveAttempt attempt;
  Instant lastActive = Instant.EPOCH;
  Instant lastScan = Instant.EPOCH;

  FollowedJob(long jobId) {
    this.jobId = jobId;
  }
}
