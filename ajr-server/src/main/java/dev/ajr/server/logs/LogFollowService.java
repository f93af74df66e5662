package dev.ajr.server.logs;

import dev.ajr.core.detect.Evidence;
import dev.ajr.core.detect.LogLine;
import dev.ajr.core.tracking.ActiveAttempt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the output of every active job on a shared filesystem, by polling.
 *
 * <p>Design: the tracker reports the current attempt of each unfinished job after every scheduler
 * poll ({@link #update}). While an attempt runs, its job's standard output and error and the step
 * logs in its working directory ({@link JobLogFiles}) are followed. A step log belongs to the
 * attempt that was running when it appeared (or to the previous attempt when it was last written
 * before the current one started), so a file per attempt is attributed right; standard output,
 * which Slurm reuses across attempts, belongs to whichever attempt runs when a line is read.
 * Followers and their offsets live as long as the job is active, so a requeued job's old lines are
 * never read again for its next attempt; a job that stops being active is read for a grace period
 * more (its last lines), then its partial last lines are flushed and it is forgotten. Positions are
 * saved through {@link LogOffsets} (at most once a second per file), so after a restart of ajr a
 * file is read on from where it was, with the attempt it belonged to.
 *
 * <p>All reading happens on one thread; {@link #update} may be called from any thread.
 */
public final class LogFollowService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LogFollowService.class);

  private static final Duration SAVE_EVERY = Duration.ofSeconds(1);

  private final LineHandler handler;
  private final LogOffsets offsets;
  private final Clock clock;
  private final LogSettings settings;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ajr-log-follower").daemon(true).factory());
  private final Map<Long, WatchedJob> jobs = new HashMap<>();
  private volatile Map<Long, ActiveAttempt> latest = Map.of();

  public LogFollowService(LineHandler handler, Clock clock, LogSettings settings) {
    this(handler, clock, settings, LogOffsets.NONE);
  }

  /**
   * @param offsets where reading stopped, kept across restarts: a file followed again resumes there
   */
  public LogFollowService(
      LineHandler handler, Clock clock, LogSettings settings, LogOffsets offsets) {
    this.offsets = offsets;
    this.handler = handler;
    this.clock = clock;
    this.settings = settings;
  }

  public void start() {
    long period = settings.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::tickSafely, 0, period, TimeUnit.MILLISECONDS);
  }

  /** The current attempts of all unfinished jobs, from the latest scheduler poll. */
  public void update(List<ActiveAttempt> active) {
    Map<Long, ActiveAttempt> byJob = new LinkedHashMap<>();
    for (ActiveAttempt a : active) {
      byJob.put(a.jobId(), a);
    }
    latest = byJob;
  }

  /** Number of files followed now. */
  public int followedFiles() {
    try {
      return thread.submit(() -> jobs.values().stream().mapToInt(j -> j.files.size()).sum()).get();
    } catch (Exception e) {
      return -1;
    }
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("log following failed this round; trying again: {}", e.toString());
    }
  }

  /** One round: adopt new jobs, read every followed file, forget jobs long gone. */
  void tick() {
    Instant now = clock.instant();
    Map<Long, ActiveAttempt> active = latest;
    for (ActiveAttempt a : active.values()) {
      WatchedJob job = jobs.get(a.jobId());
      if (job == null) {
        if (!a.running()) {
          continue;
        }
        job = new WatchedJob(a.jobId());
        jobs.put(a.jobId(), job);
      }
      job.lastActive = now;
      boolean newRun =
          a.running()
              && job.attempt != null
              && (job.attempt.attemptIndex() != a.attemptIndex() || !job.attempt.running());
      job.attempt = a;
      if (newRun) {
        checkSharedFiles(job);
      }
    }
    List<Long> gone = new ArrayList<>();
    for (WatchedJob job : jobs.values()) {
      boolean isActive = active.containsKey(job.jobId);
      if (isActive
          && job.attempt.running()
          && Duration.between(job.lastScan, now).compareTo(settings.scanInterval()) >= 0) {
        scan(job, now);
      }
      read(job, now);
      if (!isActive && Duration.between(job.lastActive, now).compareTo(settings.grace()) > 0) {
        for (FollowedFile f : job.files.values()) {
          f.follower.flush((text, n, at, cut) -> deliver(job, f, text, n, at, cut, now));
        }
        gone.add(job.jobId);
      }
    }
    for (long id : gone) {
      jobs.remove(id);
      try {
        offsets.forget(id);
      } catch (RuntimeException e) {
        log.debug("cannot drop the saved positions of job {}: {}", id, e.toString());
      }
    }
  }

  /** Standard output is reused by the next attempt: truncated, or appended to. */
  private void checkSharedFiles(WatchedJob job) {
    for (FollowedFile f : job.files.values()) {
      if (f.attempt == FollowedFile.CURRENT_ATTEMPT) {
        try {
          if (f.follower.checkRewritten()) {
            log.debug(
                "{} was rewritten for attempt {}", f.follower.path(), job.attempt.attemptIndex());
          }
        } catch (IOException e) {
          log.debug("cannot check {}: {}", f.follower.path(), e.toString());
        }
      }
    }
  }

  private void scan(WatchedJob job, Instant now) {
    job.lastScan = now;
    ActiveAttempt a = job.attempt;
    List<Path> candidates = new ArrayList<>();
    for (String output : List.of(a.stdOut(), a.stdErr())) {
      if (!output.isEmpty() && !output.contains("%")) {
        candidates.add(Path.of(output));
      }
    }
    if (!a.workDir().isEmpty()) {
      candidates.addAll(JobLogFiles.find(Path.of(a.workDir()), a.jobId()));
    }
    for (Path path : candidates) {
      Path key = path.toAbsolutePath().normalize();
      if (job.files.containsKey(key) || !Files.exists(key)) {
        continue;
      }
      boolean shared = key.toString().equals(a.stdOut()) || key.toString().equals(a.stdErr());
      int attempt = shared ? FollowedFile.CURRENT_ATTEMPT : attemptOf(key, a);
      FileFollower follower = new FileFollower(key, settings.maxLineBytes());
      Optional<LogOffsets.Saved> saved = offsets.load(a.jobId(), key.toString());
      if (saved.isPresent()) {
        try {
          if (follower.restore(saved.get().checkpoint())) {
            attempt = shared ? FollowedFile.CURRENT_ATTEMPT : saved.get().attempt();
          }
        } catch (IOException e) {
          log.debug("cannot resume {}: {}", key, e.toString());
        }
      }
      job.files.put(key, new FollowedFile(follower, attempt));
      log.debug("following {} for job {} attempt {}", key, a.jobId(), attempt);
    }
  }

  /** The attempt a newly found step log belongs to. */
  private static int attemptOf(Path path, ActiveAttempt current) {
    if (current.attemptIndex() == 0 || current.startTime() == null) {
      return current.attemptIndex();
    }
    try {
      Instant modified = Files.getLastModifiedTime(path).toInstant();
      // Slurm's start time has whole seconds: allow for it.
      if (modified.isBefore(current.startTime().minusSeconds(1))) {
        return current.attemptIndex() - 1;
      }
    } catch (IOException e) {
      return current.attemptIndex();
    }
    return current.attemptIndex();
  }

  private void read(WatchedJob job, Instant now) {
    for (FollowedFile f : job.files.values()) {
      try {
        f.follower.poll(
            (text, n, at, cut) -> deliver(job, f, text, n, at, cut, now),
            settings.maxBytesPerPoll());
      } catch (IOException e) {
        log.debug("cannot read {} now: {}", f.follower.path(), e.toString());
      }
      saveIfMoved(job, f, now);
    }
  }

  private void saveIfMoved(WatchedJob job, FollowedFile f, Instant now) {
    FileFollower.Checkpoint checkpoint = f.follower.checkpoint();
    if (checkpoint.equals(f.saved) || Duration.between(f.savedAt, now).compareTo(SAVE_EVERY) < 0) {
      return;
    }
    try {
      offsets.save(job.jobId, f.follower.path().toString(), f.attempt, checkpoint);
      f.saved = checkpoint;
      f.savedAt = now;
    } catch (RuntimeException e) {
      log.debug("cannot save the position in {}: {}", f.follower.path(), e.toString());
    }
  }

  private void deliver(
      WatchedJob job,
      FollowedFile f,
      String text,
      long lineNumber,
      Instant writtenAt,
      boolean truncated,
      Instant now) {
    ActiveAttempt a = job.attempt;
    int attempt = f.attempt;
    if (attempt == FollowedFile.CURRENT_ATTEMPT) {
      // A waiting attempt writes nothing: what comes in while the job waits (the end of a
      // requeued run) belongs to the attempt before.
      attempt = a.running() || a.attemptIndex() == 0 ? a.attemptIndex() : a.attemptIndex() - 1;
    }
    String node = a.nodes().size() == 1 ? a.nodes().get(0) : "";
    LogLine line =
        new LogLine(
            text,
            f.follower.path().toString(),
            lineNumber,
            writtenAt,
            now,
            truncated,
            Evidence.JOB_OUTPUT);
    try {
      handler.onLine(job.jobId, attempt, node, line);
    } catch (RuntimeException e) {
      log.warn("handling a line of job {} failed: {}", job.jobId, e.toString());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }

  private static final class WatchedJob {
    final long jobId;
    final Map<Path, FollowedFile> files = new LinkedHashMap<>();
    ActiveAttempt attempt;
    Instant lastActive = Instant.EPOCH;
    Instant lastScan = Instant.EPOCH;

    WatchedJob(long jobId) {
      this.jobId = jobId;
    }
  }

  private static final class FollowedFile {
    static final int CURRENT_ATTEMPT = -1;

    final FileFollower follower;
    final int attempt;
    FileFollower.Checkpoint saved;
    Instant savedAt = Instant.EPOCH;

    FollowedFile(FileFollower follower, int attempt) {
      this.follower = follower;
      this.attempt = attempt;
    }
  }
}
