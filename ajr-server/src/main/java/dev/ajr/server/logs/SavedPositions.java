package dev.ajr.server.logs;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@link LogFollowService} stopped handling each file's lines, kept through {@link
 * LogOffsets}: loaded when a file is followed again, saved for all files whose lines were handled
 * further since the last save together at most once per {@link #SAVE_EVERY} (one transaction a
 * second rather than one write per file and read), dropped with the job. What is saved is a file's
 * {@link FollowedFile#handled} position, never what was only read and still waits in the job's
 * queue: after a restart those lines are read again rather than lost. A failed save is tried again
 * with the next; a failed drop is only logged. Confined to the follower thread ({@code
 * ajr-log-follower}).
 */
final class SavedPositions {

  private static final Logger log = LoggerFactory.getLogger(LogFollowService.class);

  static final Duration SAVE_EVERY = Duration.ofSeconds(1);

  private final LogOffsets offsets;
  private Instant lastSave = Instant.EPOCH;

  SavedPositions(LogOffsets offsets) {
    this.offsets = offsets;
  }

  /** Where handling the job's file stopped before, when it was saved. */
  Optional<LogOffsets.Saved> load(long jobId, Path file) {
    return offsets.load(jobId, file.toString());
  }

  /**
   * Saves, all in one go, the positions of the {@code followed} jobs' files whose lines were
   * handled further since their last save, once {@link #SAVE_EVERY} has passed since the last save.
   */
  void saveIfDue(Instant now, Collection<FollowedJob> followed) {
    if (Duration.between(lastSave, now).compareTo(SAVE_EVERY) < 0) {
      return;
    }
    List<LogOffsets.Position> positions = new ArrayList<>();
    List<FollowedFile> saving = new ArrayList<>();
    for (FollowedJob job : followed) {
      for (FollowedFile f : job.files.values()) {
        FileFollower.Checkpoint handled = f.handled;
        if (handled != null && !handled.equals(f.saved)) {
          positions.add(
              new LogOffsets.Position(job.jobId, f.follower.path().toString(), f.attempt, handled));
          saving.add(f);
        }
      }
    }
    if (positions.isEmpty()) {
      return;
    }
    lastSave = now;
    try {
      offsets.saveAll(positions);
      for (int i = 0; i < saving.size(); i++) {
        saving.get(i).saved = positions.get(i).checkpoint();
      }
    } catch (RuntimeException e) {
      log.debug("cannot save the positions of {} files: {}", positions.size(), e.toString());
    }
  }

  /** Drops the saved positions of the job's files. */
  void forget(long jobId) {
    try {
      offsets.forget(jobId);
    } catch (RuntimeException e) {
      log.debug("cannot drop the saved positions of job {}: {}", jobId, e.toString());
    }
  }
}
