package dev.ajr.server.logs;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@link LogFollowService} stopped reading each file, kept through {@link LogOffsets}: loaded
 * when a file is followed again, saved for all files read since the last save together at most once
 * per {@link #SAVE_EVERY} (one transaction a second rather than one write per file and read),
 * dropped with the job. A failed save is tried again with the next; a failed drop is only logged.
 * Confined to the follower thread ({@code ajr-log-follower}), like the files it saves.
 */
final class SavedPositions {

  private static final Logger log = LoggerFactory.getLogger(LogFollowService.class);

  static final Duration SAVE_EVERY = Duration.ofSeconds(1);

  private final LogOffsets offsets;
  private final Set<FollowedFile> unsaved = new LinkedHashSet<>();
  private Instant lastSave = Instant.EPOCH;

  SavedPositions(LogOffsets offsets) {
    this.offsets = offsets;
  }

  /** Where reading the job's file stopped before, when it was saved. */
  Optional<LogOffsets.Saved> load(long jobId, Path file) {
    return offsets.load(jobId, file.toString());
  }

  /** Notes that the file was read: its position goes with the next save, when it moved. */
  void read(FollowedFile f) {
    if (!f.follower.checkpoint().equals(f.saved)) {
      unsaved.add(f);
    }
  }

  /**
   * Saves the positions of the files read since the last save, all in one go, once {@link
   * #SAVE_EVERY} has passed; files of jobs no longer {@code followed} are left out.
   */
  void saveIfDue(Instant now, Predicate<FollowedJob> followed) {
    if (unsaved.isEmpty() || Duration.between(lastSave, now).compareTo(SAVE_EVERY) < 0) {
      return;
    }
    lastSave = now;
    List<LogOffsets.Position> positions = new ArrayList<>();
    List<FollowedFile> saving = new ArrayList<>();
    for (FollowedFile f : unsaved) {
      FileFollower.Checkpoint checkpoint = f.follower.checkpoint();
      if (followed.test(f.job) && !checkpoint.equals(f.saved)) {
        positions.add(
            new LogOffsets.Position(
                f.job.jobId, f.follower.path().toString(), f.attempt, checkpoint));
        saving.add(f);
      }
    }
    unsaved.clear();
    try {
      offsets.saveAll(positions);
      for (int i = 0; i < saving.size(); i++) {
        saving.get(i).saved = positions.get(i).checkpoint();
      }
    } catch (RuntimeException e) {
      unsaved.addAll(saving); // tried again next time
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
