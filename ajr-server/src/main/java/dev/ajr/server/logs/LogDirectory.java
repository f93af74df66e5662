package dev.ajr.server.logs;

import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.util.HashSet;
import java.util.Set;

/**
 * A directory holding files {@link LogFollowService} follows, or where a job's files may appear:
 * watched once however many jobs use it, else polled. Mutable, and confined to the follower thread
 * ({@code ajr-log-follower}).
 */
final class LogDirectory {
  final Path path;
  final int slot;
  final Set<Long> jobIds = new HashSet<>();
  WatchKey key; // null: polled
  boolean retry; // the registration is tried again: the directory did not exist or was lost

  LogDirectory(Path path, int slot) {
    this.path = path;
    this.slot = slot;
  }

  boolean watched() {
    return key != null;
  }
}
